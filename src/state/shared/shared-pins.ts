import { z } from 'zod'
import type { ConversationPinStore } from '../conversation-pins.js'
import type { AttemptTarget } from '../types.js'
import { GET_PIN_LUA, SET_PIN_LUA } from './pin-lua.js'
import { type LuaScript, luaScript } from './redis-link.js'
import type { SharedOp } from './shared-ops.js'
import type { TrustedPins } from './trusted-pins.js'

const GET_PIN = luaScript(GET_PIN_LUA)
const SET_PIN = luaScript(SET_PIN_LUA)

/** What the pins need of the link to Redis (state-sync.ts). */
export interface PinChannel {
  /** False while Redis is away (or back but not yet reconciled): pins are this process's own then. */
  isShared(): boolean
  /** One script's answer; rejects when Redis did not answer within its timeout. */
  run(script: LuaScript, args: readonly (string | number)[]): Promise<unknown>
  /** A change queued for Redis, sent once it answers (in order, at most once). */
  forward(op: SharedOp): void
}

export interface SharedPinsInput {
  /** Prefix of every key (the namespace and a colon). */
  prefix: string
  /** A conversation unheard of for this long is forgotten, in Redis as here. */
  idleMs: number
  /** This instance's name, published with every pin it writes. */
  instance: string
  channel: PinChannel
  /** The conversations whose pins this copy may answer without Redis (moves followed by pin-moves.ts). */
  trusted: TrustedPins
}

const storedPin = z.object({
  pin: z.object({
    provider: z.string().min(1).max(200),
    model: z.string().min(1).max(500),
    keyIndex: z.number().int().min(0),
  }),
  atMs: z.number(),
})

/** A pin as Redis answered it; null when absent or not a pin (Redis holds what anyone wrote). */
function pinOf(answer: unknown): AttemptTarget | null {
  if (typeof answer !== 'string') return null
  try {
    const parsed = storedPin.safeParse(JSON.parse(answer))
    return parsed.success ? parsed.data.pin : null
  } catch {
    return null
  }
}

const isSamePin = (a: AttemptTarget | null, b: AttemptTarget): boolean =>
  a !== null && a.provider === b.provider && a.model === b.model && a.keyIndex === b.keyIndex

/**
 * Conversation pins shared by every instance: a conversation pinned through one instance is read back
 * through any other. This process's pins stay the fallback and the copy: every pin read from Redis is
 * kept here too, so while Redis is away (or slower than its timeout) a conversation keeps its pin
 * without failing the request, and what was set meanwhile is sent when Redis returns. A pin this copy
 * is trusted with (trusted-pins.ts) is answered at once, and read through Redis in the background now
 * and then, which keeps its idle time running there.
 */
export function createSharedPins(local: ConversationPinStore, input: SharedPinsInput): ConversationPinStore {
  const { channel, prefix, idleMs, trusted } = input
  const pinOp = (key: string, pin: AttemptTarget, atMs: number): Extract<SharedOp, { kind: 'pin' }> => ({
    kind: 'pin',
    key,
    pin: { provider: pin.provider, model: pin.model, keyIndex: pin.keyIndex },
    atMs,
    idleMs,
  })
  const readThrough = async (key: string, nowMs: number): Promise<AttemptTarget | null> => {
    const watch = trusted.watch(key)
    let shared: AttemptTarget | null
    try {
      shared = pinOf(await channel.run(GET_PIN, [prefix, key, idleMs]))
    } catch {
      trusted.settle(watch, false, nowMs)
      return local.get(key, nowMs)
    }
    if (shared !== null) {
      // This instance wrote the pin meanwhile: its copy is newer than what the read found.
      if (trusted.isOverwritten(watch)) {
        trusted.settle(watch, false, nowMs)
        return local.get(key, nowMs)
      }
      await local.set(key, shared, nowMs)
      trusted.settle(watch, true, nowMs)
      return shared
    }
    trusted.settle(watch, false, nowMs)
    // Redis lost it (restarted empty) while this instance still knows it: it goes back for the others.
    const known = await local.get(key, nowMs)
    if (known !== null) channel.forward(pinOp(key, known, nowMs))
    return known
  }
  return {
    async get(key, nowMs) {
      if (!channel.isShared()) return local.get(key, nowMs)
      if (trusted.isTrusted(key)) {
        const known = await local.get(key, nowMs)
        if (known !== null) {
          if (trusted.takeTouch(key, nowMs)) void readThrough(key, nowMs)
          return known
        }
        trusted.forget(key)
      }
      return readThrough(key, nowMs)
    },
    async set(key, pin, nowMs) {
      const before = await local.get(key, nowMs)
      await local.set(key, pin, nowMs)
      // A pin kept as it was read moments ago: that read already started its idle time again in Redis
      // (and one Redis lost is sent back by the next read that misses it).
      if (isSamePin(before, pin)) return
      trusted.writing(key)
      const op = pinOp(key, pin, nowMs)
      if (!channel.isShared()) {
        channel.forward(op)
        return
      }
      const watch = trusted.watch(key)
      try {
        const written = await channel.run(SET_PIN, [
          prefix,
          nowMs,
          key,
          JSON.stringify(op.pin),
          nowMs,
          idleMs,
          input.instance,
        ])
        // Not written: Redis holds a newer pin than this one, read on the next turn.
        trusted.settle(watch, written === 1, nowMs)
      } catch {
        trusted.settle(watch, false, nowMs)
        channel.forward(op)
      }
    },
    get size() {
      return local.size
    },
  }
}
