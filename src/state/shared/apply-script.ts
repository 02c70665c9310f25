import { WRITE_PIN_LUA } from './pin-lua.js'

// Everything that changes shared state besides admission, as a batch of operations applied in one
// script. A batch carries an id and is applied at most once: a batch whose answer was lost (a timeout,
// a dropped connection) is sent again as it was, and skipped if it had arrived. Counts add up (a call
// settled, released, or made while Redis was away); seeds bring back what the instances last saw of a
// counter, for a Redis that came back empty (see rebase); the rest keeps whichever fact is newer or lasts longer.
//
// ARGV: prefix, nowMs, batch id, JSON array of SharedOp (shared-ops.ts).

export const APPLY_LUA = `${WRITE_PIN_LUA}
local P, now, batch = ARGV[1], tonumber(ARGV[2]), ARGV[3]
-- The instance that sent the batch (its id is \`<instance>:<sequence>\`), named when a pin it wrote is published.
local origin = string.match(batch, '^(.*):%d+$') or batch
if not redis.call('SET', P .. 'batch:' .. batch, 1, 'NX', 'PX', 3600000) then return 0 end

local function add(key, field, delta)
  if delta ~= 0 and redis.call('HINCRBY', key, field, delta) < 0 then redis.call('HSET', key, field, 0) end
end
local function raise(key, field, value)
  if value > (tonumber(redis.call('HGET', key, field)) or 0) then redis.call('HSET', key, field, value) end
end
local function minuteKey(bucket)
  return P .. 'm:' .. bucket
end
local function dayKey(bucket, dayEnd)
  return P .. 'd:' .. bucket .. ':' .. string.format('%d', dayEnd)
end

local function count(op)
  if (op.second + 1) * 1000 + 60000 > now then
    add(minuteKey(op.bucket), 'r' .. op.second, op.requests)
    add(minuteKey(op.bucket), 't' .. op.second, op.tokens)
    redis.call('PEXPIRE', minuteKey(op.bucket), 62000)
  end
  if op.dayEndMs + 3600000 > now then
    add(dayKey(op.bucket, op.dayEndMs), 'r', op.requests)
    add(dayKey(op.bucket, op.dayEndMs), 't', op.tokens)
    redis.call('PEXPIREAT', dayKey(op.bucket, op.dayEndMs), op.dayEndMs + 3600000)
  end
end

-- After a loss, a count holds the largest seed so far (kept beside it, in the same field of a base
-- key) plus everything counted since: a larger seed adds only its difference, so the counts made since
-- stay on top of it, whichever instance reconciled first. Raising the count to the seed instead would
-- hide the calls counted since under a later, larger seed.
local function rebase(key, base, field, value)
  local before = tonumber(redis.call('HGET', base, field)) or 0
  if value > before then
    redis.call('HINCRBY', key, field, value - before)
    redis.call('HSET', base, field, value)
  end
end

local function seed(op)
  local function settle(key, base, field, value)
    if op.afterLoss then rebase(key, base, field, value) else raise(key, field, value) end
  end
  local mkey, mbase = minuteKey(op.bucket), P .. 'mb:' .. op.bucket
  for i = 1, #op.minute, 3 do
    local second = op.minute[i]
    if (second + 1) * 1000 + 60000 > now then
      settle(mkey, mbase, 'r' .. second, op.minute[i + 1])
      settle(mkey, mbase, 't' .. second, op.minute[i + 2])
      redis.call('PEXPIRE', mkey, 62000)
      if op.afterLoss then redis.call('PEXPIRE', mbase, 62000) end
    end
  end
  local dkey, dbase = dayKey(op.bucket, op.dayEndMs), P .. 'db:' .. op.bucket .. ':' .. string.format('%d', op.dayEndMs)
  if op.dayEndMs + 3600000 > now then
    settle(dkey, dbase, 'r', op.requests)
    settle(dkey, dbase, 't', op.tokens)
    redis.call('PEXPIREAT', dkey, op.dayEndMs + 3600000)
    if op.afterLoss then redis.call('PEXPIREAT', dbase, op.dayEndMs + 3600000) end
  end
end

-- A slice given back (leased-slices.ts): no longer held, and the calls made from it counted at their
-- seconds, in the same step so they are never counted twice nor missed (a batch is applied once). The
-- calls count even when Redis does not hold the slice (it lost it meanwhile), but not when it counted
-- the slice whole already, its hold having ended first (bucket-lua.ts).
local function unslice(op)
  local key = P .. 'held:' .. op.bucket
  local held = redis.call('HGET', key, op.id)
  if held and cjson.decode(held)[5] then return end
  redis.call('HDEL', key, op.id)
  for i = 1, #op.calls, 3 do
    count({ bucket = op.bucket, second = op.calls[i], dayEndMs = op.dayEndMs, requests = op.calls[i + 1], tokens = op.calls[i + 2] })
  end
end

-- A slice still held, for a Redis that lost it: only its holder writes it, so it is taken as it is.
local function slice(op)
  if op.untilMs <= now then return end
  local key = P .. 'held:' .. op.bucket
  local held = redis.call('HGET', key, op.id)
  if held and cjson.decode(held)[5] then return end
  local value = cjson.encode({ op.requests, op.tokens, op.untilMs, string.format('%d', op.dayEndMs) })
  redis.call('HSET', key, op.id, value)
  redis.call('PEXPIRE', key, math.max(1000, op.untilMs - now) + 600000)
end

local function block(op)
  local current = redis.call('HGET', P .. 'blk', op.bucket)
  if current then
    local untilMs = cjson.decode(current).block.untilMs
    if untilMs > now and untilMs >= op.block.untilMs then return end
  end
  if op.block.untilMs > now then
    redis.call('HSET', P .. 'blk', op.bucket, cjson.encode({ target = op.target, block = op.block }))
  end
end

local function breaker(op)
  local current = redis.call('HGET', P .. 'brk', op.field)
  if current and cjson.decode(current).changedAtMs >= op.state.changedAtMs then return end
  redis.call('HSET', P .. 'brk', op.field, cjson.encode(op.state))
  redis.call('HDEL', P .. 'prb', op.field)
end

local function arm(op)
  local key = P .. 'arm:' .. op.task
  local raw = redis.call('HGETALL', key)
  local found = false
  for i = 1, #raw, 2 do
    local pulls, sum, squares = string.match(raw[i + 1], '^(%S+) (%S+) (%S+)$')
    pulls, sum, squares = tonumber(pulls) * op.discount, tonumber(sum) * op.discount, tonumber(squares) * op.discount
    if raw[i] == op.field then
      pulls, sum, squares = pulls + 1, sum + op.reward, squares + op.reward * op.reward
      found = true
    end
    redis.call('HSET', key, raw[i], string.format('%.17g %.17g %.17g', pulls, sum, squares))
  end
  if not found then
    redis.call('HSET', key, op.field, string.format('1 %.17g %.17g', op.reward, op.reward * op.reward))
  end
  redis.call('HINCRBY', P .. 'armn', op.task, 1)
end

for _, op in ipairs(cjson.decode(ARGV[4])) do
  local kind = op.kind
  if kind == 'count' then count(op)
  elseif kind == 'seed' then seed(op)
  elseif kind == 'unslice' then unslice(op)
  elseif kind == 'slice' then slice(op)
  elseif kind == 'block' then block(op)
  elseif kind == 'disable' then redis.call('HSET', P .. 'off', op.field, op.reason)
  elseif kind == 'breaker' then breaker(op)
  elseif kind == 'probe_done' then redis.call('HDEL', P .. 'prb', op.field)
  elseif kind == 'retire' then redis.call('HSET', P .. 'ret', op.field, cjson.encode(op.retired))
  elseif kind == 'arm' then arm(op)
  elseif kind == 'arm_seed' then
    redis.call('HSETNX', P .. 'arm:' .. op.task, op.field, string.format('%.17g %.17g %.17g', op.pulls, op.rewardSum, op.rewardSquareSum))
    if redis.call('HSETNX', P .. 'armn', op.task, op.observations) == 0 then
      raise(P .. 'armn', op.task, op.observations)
    end
  elseif kind == 'plan' then
    redis.call('XADD', P .. 'plans', 'MAXLEN', '~', 1000, '*', 'key', op.key, 'split', op.split, 'atMs', op.atMs)
  elseif kind == 'pin' then writePin(P, op.key, op.pin, op.atMs, op.idleMs, now, origin)
  end
end
return #cjson.decode(ARGV[4])
`
