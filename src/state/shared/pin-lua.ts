// Lua shared by the scripts that write a conversation's pin. A pin is one string key per conversation
// (`pin:<conversation key>`): the target as JSON with when it was set, expiring after the affinity idle
// time (refreshed on every read). A write older than the pin in Redis is dropped, so a pin set while
// Redis was away and sent on reconciliation never undoes a move another instance made since. Every write
// is published on `pins` as `<instance>\n<conversation>`, so the other instances stop answering that
// conversation's later turns from their own copy (pin-moves.ts, trusted-pins.ts).

export const WRITE_PIN_LUA = `
local function writePin(P, conversation, pin, atMs, idleMs, now, origin)
  local ttl = atMs + idleMs - now
  if ttl <= 0 then return 0 end
  local key = P .. 'pin:' .. conversation
  local current = redis.call('GET', key)
  if current then
    local ok, decoded = pcall(cjson.decode, current)
    if ok and type(decoded) == 'table' and tonumber(decoded.atMs) and decoded.atMs > atMs then return 0 end
  end
  redis.call('SET', key, cjson.encode({ pin = pin, atMs = atMs }), 'PX', math.floor(ttl))
  redis.call('PUBLISH', P .. 'pins', origin .. '\\n' .. conversation)
  return 1
end
`

/** 1 when written, 0 when Redis holds a newer pin. ARGV: prefix, nowMs, conversation key, pin JSON
 * ({provider, model, keyIndex}), atMs, idle ms, instance. */
export const SET_PIN_LUA = `${WRITE_PIN_LUA}
return writePin(ARGV[1], ARGV[3], cjson.decode(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[2]), ARGV[7])
`

/** The pin (JSON) or false, its idle time started again. ARGV: prefix, conversation key, idle ms. */
export const GET_PIN_LUA = `
local key = ARGV[1] .. 'pin:' .. ARGV[2]
local pin = redis.call('GET', key)
if pin then redis.call('PEXPIRE', key, tonumber(ARGV[3])) end
return pin
`
