import { READ_BUCKET_LUA } from './bucket-lua.js'

/**
 * Check and reserve in one step, so two instances can never both take the last request of a window:
 * a retired model, a disabled key, a cooldown or spent quota of the counter, an open breaker (or a
 * half-open one whose single probe is out), then every window (-1: no limit). On success the request and
 * its estimated tokens are counted in the current second and day, and a half-open breaker's probe is
 * taken. Either way the counter's state comes back, for this instance's view of it.
 *
 * ARGV: prefix, nowMs, bucket, disabled-key field, breaker field, tokens, rpm, rpd, tpm, tpd,
 * dayEndMs, probe timeout ms.
 */
export const ADMIT_LUA = `${READ_BUCKET_LUA}
local P, now = ARGV[1], tonumber(ARGV[2])
local bucket, keyField, modelField = ARGV[3], ARGV[4], ARGV[5]
local tokens = tonumber(ARGV[6])
local limits = { tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]) }
local dayEnd, probeMs = tonumber(ARGV[11]), tonumber(ARGV[12])

local view = readBucket(P, bucket, ARGV[11], now, true)
local retired = redis.call('HGET', P .. 'ret', modelField)
local disabled = redis.call('HGET', P .. 'off', keyField)
local block = redis.call('HGET', P .. 'blk', bucket)
local breaker = redis.call('HGET', P .. 'brk', modelField)
local probeUntil = tonumber(redis.call('HGET', P .. 'prb', modelField)) or 0

local ok = disabled == false
if retired and cjson.decode(retired).recheckAtMs > now then ok = false end
if block and cjson.decode(block).block.untilMs > now then ok = false end
local probe = false
if breaker then
  local open = cjson.decode(breaker).openUntilMs
  if type(open) == 'number' then
    if open > now or probeUntil > now then ok = false else probe = true end
  end
end
local function fits(used, need, limit)
  return limit < 0 or used + need <= limit
end
if not (fits(view.mr, 1, limits[1]) and fits(view.dr, 1, limits[2])
    and fits(view.mt, tokens, limits[3]) and fits(view.dt, tokens, limits[4])) then
  ok = false
end

local second = math.floor(now / 1000)
if ok then
  local mkey = P .. 'm:' .. bucket
  local dkey = P .. 'd:' .. bucket .. ':' .. ARGV[11]
  redis.call('HINCRBY', mkey, 'r' .. second, 1)
  redis.call('HINCRBY', mkey, 't' .. second, tokens)
  redis.call('PEXPIRE', mkey, 62000)
  redis.call('HINCRBY', dkey, 'r', 1)
  redis.call('HINCRBY', dkey, 't', tokens)
  redis.call('PEXPIREAT', dkey, dayEnd + 3600000)
  if probe then redis.call('HSET', P .. 'prb', modelField, now + probeMs) end
  if view.slots[second] == nil then
    view.slots[second] = { 0, 0 }
    view.order[#view.order + 1] = second
  end
  view.slots[second][1] = view.slots[second][1] + 1
  view.slots[second][2] = view.slots[second][2] + tokens
  view.dr = view.dr + 1
  view.dt = view.dt + tokens
end
return cjson.encode({
  ok = ok, probe = ok and probe, second = second, minute = encodeMinute(view), dr = view.dr, dt = view.dt,
  block = block, disabled = disabled, breaker = breaker, retired = retired,
})
`
