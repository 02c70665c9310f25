import { READ_BUCKET_LUA } from './bucket-lua.js'

/**
 * Check and reserve in one step, so two instances can never both take the last request of a window:
 * a retired model, a disabled key, a cooldown or spent quota of the counter, an open breaker (or a
 * half-open one whose single probe is out), then every window (-1: no limit), slices held by any
 * instance included. On success the request and its estimated tokens are counted in the current second
 * and day, and a half-open breaker's probe is taken. Either way the counter's state comes back, for this
 * instance's view of it: its slots, and what the slices hold apart.
 *
 * A slice may be asked for too (leased-slices.ts): up to `want` more requests (and `tokensEach` tokens
 * for each, when a token window is limited), never more than 1/(2 × live instances) of what any window
 * has left, and none when that is fewer than `least`. It is held under its lease id until `heldUntilMs`,
 * so every instance's check sees it; its holder admits from it without asking. A call with `admitsCall`
 * 0 only asks for a slice (and never takes a half-open breaker's probe).
 *
 * ARGV: prefix, nowMs, bucket, disabled-key field, breaker field, tokens, rpm, rpd, tpm, tpd,
 * dayEndMs, probe timeout ms, admitsCall (1/0), want, tokensEach, least, lease id, heldUntilMs.
 */
export const ADMIT_LUA = `${READ_BUCKET_LUA}
local P, now = ARGV[1], tonumber(ARGV[2])
local bucket, keyField, modelField = ARGV[3], ARGV[4], ARGV[5]
local tokens = tonumber(ARGV[6])
local limits = { tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]) }
local dayEnd, probeMs = tonumber(ARGV[11]), tonumber(ARGV[12])
local need = tonumber(ARGV[13])
local want, tokensEach, least = tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16])
if need == 0 then tokens = 0 end

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
    if open > now or probeUntil > now or need == 0 then ok = false else probe = true end
  end
end
local used = { view.mr + view.hr, view.dr + view.hr, view.mt + view.ht, view.dt + view.ht }
local function fits(window, more)
  return limits[window] < 0 or used[window] + more <= limits[window]
end
if not (fits(1, need) and fits(2, need) and fits(3, tokens) and fits(4, tokens)) then ok = false end

-- How many more requests a window leaves room for in a fair slice (a window without a limit: all).
local live = math.max(1, redis.call('ZCARD', P .. 'live'))
local function room(window, more, each)
  if limits[window] < 0 or each <= 0 then return want end
  return math.floor(math.max(0, limits[window] - used[window] - more) / (2 * live) / each)
end
local granted, grantedTokens = 0, 0
if ok and not probe and want > 0 then
  granted = math.min(want, room(1, need, 1), room(2, need, 1), room(3, tokens, tokensEach), room(4, tokens, tokensEach))
  if granted < least then granted = 0 end
  if limits[3] >= 0 or limits[4] >= 0 then grantedTokens = granted * tokensEach end
end
if granted > 0 then
  local hkey = P .. 'held:' .. bucket
  redis.call('HSET', hkey, ARGV[17], cjson.encode({ granted, grantedTokens, tonumber(ARGV[18]), ARGV[11] }))
  redis.call('PEXPIRE', hkey, math.max(1000, tonumber(ARGV[18]) - now) + 600000)
  view.hr = view.hr + granted
  view.ht = view.ht + grantedTokens
end

local second = math.floor(now / 1000)
if ok and need > 0 then
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
  hr = view.hr, ht = view.ht, granted = granted, grantedTokens = grantedTokens,
})
`
