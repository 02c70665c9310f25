import { READ_BUCKET_LUA } from './bucket-lua.js'

/**
 * What every instance reads a few times a second: blocks, disabled keys, breakers and retired models of
 * everyone, the counters it asks for, the learner's statistics, plans added since the last read, and
 * the store's epoch (set once by whoever finds it missing: a new epoch means Redis lost its state). It
 * also says this instance is alive; instances silent for 5 s are no longer counted.
 *
 * ARGV: prefix, nowMs, instance id, epoch candidate, JSON { buckets: [bucket, dayEndMs][], plansAfter }.
 */
export const PULL_LUA = `${READ_BUCKET_LUA}
local P, now, instance, candidate = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local ask = cjson.decode(ARGV[5])
redis.call('ZADD', P .. 'live', now, instance)
redis.call('ZREMRANGEBYSCORE', P .. 'live', '-inf', now - 5000)
redis.call('PEXPIRE', P .. 'live', 60000)
redis.call('SET', P .. 'epoch', candidate, 'NX')

local blocks = redis.call('HGETALL', P .. 'blk')
for i = 1, #blocks, 2 do
  if cjson.decode(blocks[i + 1]).block.untilMs <= now then redis.call('HDEL', P .. 'blk', blocks[i]) end
end
local buckets = {}
for _, wanted in ipairs(ask.buckets) do
  local view = readBucket(P, wanted[1], wanted[2], now, false)
  buckets[#buckets + 1] = { wanted[1], encodeMinute(view), view.dr, view.dt, view.hr, view.ht }
end
local arms = {}
local observations = redis.call('HGETALL', P .. 'armn')
for i = 1, #observations, 2 do
  arms[#arms + 1] = { observations[i], tonumber(observations[i + 1]), redis.call('HGETALL', P .. 'arm:' .. observations[i]) }
end
local plans = redis.call('XRANGE', P .. 'plans', ask.plansAfter == '' and '-' or '(' .. ask.plansAfter, '+', 'COUNT', 1000)
return cjson.encode({
  epoch = redis.call('GET', P .. 'epoch'),
  instances = redis.call('ZCARD', P .. 'live'),
  blocks = redis.call('HGETALL', P .. 'blk'),
  disabled = redis.call('HGETALL', P .. 'off'),
  breakers = redis.call('HGETALL', P .. 'brk'),
  retired = redis.call('HGETALL', P .. 'ret'),
  buckets = buckets,
  arms = arms,
  plans = plans,
})
`
