import type { AttemptTarget } from './types.js'

export interface ConversationPinsOptions {
  /** A conversation unheard of for this long starts afresh (30 minutes by default). */
  idleMs: number
  /** Conversations remembered at most; the longest idle is forgotten first. */
  maxConversations: number
}

/** The pin store's contract (ConversationPins in pipeline/ports.ts), restated here: state imports no port. */
export interface ConversationPinStore {
  get(conversationKey: string, nowMs: number): Promise<AttemptTarget | null>
  set(conversationKey: string, pin: AttemptTarget, nowMs: number): Promise<void>
  readonly size: number
}

/** Each distinct target once, by number: a pin stores a small integer instead of an object. */
function createTargetTable(): { idOf(target: AttemptTarget): number; at(id: number): AttemptTarget } {
  const targets: AttemptTarget[] = []
  const ids = new Map<string, number>()
  return {
    idOf(target) {
      const name = `${target.provider}\u0000${target.model}\u0000${target.keyIndex}`
      let id = ids.get(name)
      if (id === undefined) {
        id = targets.push({ provider: target.provider, model: target.model, keyIndex: target.keyIndex }) - 1
        ids.set(name, id)
      }
      return id
    },
    at: (id) => targets[id]!,
  }
}

/** Numbered slots in typed arrays (last use, target), grown by doubling and reused once freed. */
function createSlots(): {
  lastUsedMs(slot: number): number
  write(slot: number, nowMs: number, targetId: number): void
  targetId(slot: number): number
  claim(): number
  release(slot: number): void
} {
  let lastUsed = new Float64Array(256)
  let target = new Uint32Array(256)
  let used = 0
  const free: number[] = []
  return {
    lastUsedMs: (slot) => lastUsed[slot]!,
    targetId: (slot) => target[slot]!,
    write(slot, nowMs, targetId) {
      lastUsed[slot] = nowMs
      target[slot] = targetId
    },
    claim() {
      const reused = free.pop()
      if (reused !== undefined) return reused
      if (used === lastUsed.length) {
        const grownLastUsed = new Float64Array(used * 2)
        grownLastUsed.set(lastUsed)
        const grownTarget = new Uint32Array(used * 2)
        grownTarget.set(target)
        lastUsed = grownLastUsed
        target = grownTarget
      }
      return used++
    },
    release: (slot) => {
      free.push(slot)
    },
  }
}

/**
 * Conversation pins in this process's memory, bounded and expiring. A Map keeps insertion order, so
 * moving an entry to the end on every use makes the first entry the least recently used one: eviction
 * and expiry are O(1) per request, with no timers and the clock passed in (written by hand: what
 * lru-cache would add is its own clock). The Map holds a slot number per conversation and the slots
 * hold its last use and target in typed arrays: about 100 bytes a conversation instead of 300, for up
 * to 100 000 of them. Async to match a shared store's shape.
 */
export function createMemoryConversationPins(options: ConversationPinsOptions): ConversationPinStore {
  const slotOf = new Map<string, number>()
  const slots = createSlots()
  const targets = createTargetTable()
  const isExpired = (slot: number, nowMs: number): boolean => nowMs - slots.lastUsedMs(slot) >= options.idleMs
  const forget = (key: string, slot: number): void => {
    slotOf.delete(key)
    slots.release(slot)
  }
  const dropExpiredHead = (nowMs: number): void => {
    // Least recently used first: a few expired ones at the head go on every call.
    for (let checked = 0; checked < 4; checked++) {
      const oldest = slotOf.entries().next()
      if (oldest.done === true || !isExpired(oldest.value[1], nowMs)) return
      forget(oldest.value[0], oldest.value[1])
    }
  }
  return {
    async get(key, nowMs) {
      dropExpiredHead(nowMs)
      const slot = slotOf.get(key)
      if (slot === undefined) return null
      if (isExpired(slot, nowMs)) {
        forget(key, slot)
        return null
      }
      slotOf.delete(key)
      slotOf.set(key, slot)
      slots.write(slot, nowMs, slots.targetId(slot))
      return { ...targets.at(slots.targetId(slot)) }
    },
    async set(key, pin, nowMs) {
      const existing = slotOf.get(key)
      if (existing !== undefined) slotOf.delete(key)
      const slot = existing ?? slots.claim()
      slots.write(slot, nowMs, targets.idOf(pin))
      slotOf.set(key, slot)
      while (slotOf.size > options.maxConversations) {
        const oldest = slotOf.entries().next()
        if (oldest.done === true) break
        forget(oldest.value[0], oldest.value[1])
      }
      dropExpiredHead(nowMs)
    },
    get size() {
      return slotOf.size
    },
  }
}
