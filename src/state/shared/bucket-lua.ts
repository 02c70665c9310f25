// Lua shared by the scripts that read a quota counter. A counter's minute window is one hash of
// one-second slots (`r<second>` requests, `t<second>` tokens) that expires 62 s after its last write;
// its day is one hash per provider day (`r`, `t`) that expires an hour after the provider's reset.
// A slot counts until 60 s after its second has ended: capacity frees at most a second late, never early.
// Slices an instance holds (leased-slices.ts) are one hash per counter (`held:<bucket>`), a field per
// slice (its lease id): requests, tokens, until when, and the day, taken ahead of time and counted in
// both windows of their day until their holder gives them back (with the calls it made from them, at
// their seconds). A slice still there when its hold ends (its holder died, or lost Redis for longer)
// is counted whole, at the second its hold ended, and marked so: its calls were made, and a late
// giving back must not count them again. The mark goes 10 minutes later.

export const READ_BUCKET_LUA = `
local function slotCounts(second, now)
  return (second + 1) * 1000 + 60000 > now
end

local function settleHeld(P, bucket, dayEnd, now)
  local hkey = P .. 'held:' .. bucket
  local held = redis.call('HGETALL', hkey)
  local hr, ht = 0, 0
  for i = 1, #held, 2 do
    local slice = cjson.decode(held[i + 1])
    if slice[5] then
      if slice[3] + 600000 <= now then redis.call('HDEL', hkey, held[i]) end
    elseif slice[3] > now then
      if slice[4] == dayEnd then
        hr = hr + slice[1]
        ht = ht + slice[2]
      end
    else
      local second = math.floor(slice[3] / 1000)
      local mkey = P .. 'm:' .. bucket
      if slotCounts(second, now) then
        redis.call('HINCRBY', mkey, 'r' .. second, slice[1])
        redis.call('HINCRBY', mkey, 't' .. second, slice[2])
        redis.call('PEXPIRE', mkey, 62000)
      end
      local dkey = P .. 'd:' .. bucket .. ':' .. slice[4]
      redis.call('HINCRBY', dkey, 'r', slice[1])
      redis.call('HINCRBY', dkey, 't', slice[2])
      redis.call('PEXPIREAT', dkey, tonumber(slice[4]) + 3600000)
      slice[5] = 1
      redis.call('HSET', hkey, held[i], cjson.encode(slice))
    end
  end
  return hr, ht
end

local function readBucket(P, bucket, dayEnd, now, prune)
  local hr, ht = settleHeld(P, bucket, dayEnd, now)
  local mkey = P .. 'm:' .. bucket
  local raw = redis.call('HGETALL', mkey)
  local view = { slots = {}, order = {}, mr = 0, mt = 0, dr = 0, dt = 0 }
  for i = 1, #raw, 2 do
    local field = raw[i]
    local second = tonumber(string.sub(field, 2))
    local value = tonumber(raw[i + 1]) or 0
    if second ~= nil and slotCounts(second, now) then
      if view.slots[second] == nil then
        view.slots[second] = { 0, 0 }
        view.order[#view.order + 1] = second
      end
      if string.sub(field, 1, 1) == 'r' then
        view.slots[second][1] = value
        view.mr = view.mr + value
      else
        view.slots[second][2] = value
        view.mt = view.mt + value
      end
    elseif prune then
      redis.call('HDEL', mkey, field)
    end
  end
  local day = redis.call('HMGET', P .. 'd:' .. bucket .. ':' .. dayEnd, 'r', 't')
  view.dr = tonumber(day[1]) or 0
  view.dt = tonumber(day[2]) or 0
  view.hr, view.ht = hr, ht
  return view
end

local function encodeMinute(view)
  local flat = {}
  for _, second in ipairs(view.order) do
    local slot = view.slots[second]
    flat[#flat + 1] = second
    flat[#flat + 1] = slot[1]
    flat[#flat + 1] = slot[2]
  end
  return flat
end
`
