import type { AttemptTarget } from './types.js'

export interface ConversationPinsOptions {
  /** A conversation unheard of for this long starts afresh (30 minutes by default). */
  idleMs: number
  /** Conversations remembered at most; the longest idle is forgotten first. */
  maxConversations: number
}

interface Entry {
  pin: AttemptTarget
  lastUsedMs: number
}

/** The pin store's contract (ConversationPins in pipeline/ports.ts), restated here: state imports no port. */
export interface ConversationPinStore {
  get(conversationKey: string, nowMs: number): Promise<AttemptTarget | null>
  set(conversationKey: string, pin: AttemptTarget, nowMs: number): Promise<void>
  readonly size: number
}

/**
 * Conversation pins in this process's memory, bounded and expiring. A Map keeps insertion order, so
 * moving an entry to the end on every use makes the first entry the least recently used one: eviction
 * and expiry are O(1) per request, with no timers and the clock passed in (written by hand: what
 * lru-cache would add is its own clock). Async to match a shared store's shape.
 */
export function createMemoryConversationPins(options: ConversationPinsOptions): ConversationPinStore {
  const entries = new Map<string, Entry>()
  const isExpired = (entry: Entry, nowMs: number): boolean => nowMs - entry.lastUsedMs >= options.idleMs
  const dropExpiredHead = (nowMs: number): void => {
    // Least recently used first: a few expired ones at the head go on every call.
    for (let checked = 0; checked < 4; checked++) {
      const oldest = entries.entries().next()
      if (oldest.done === true || !isExpired(oldest.value[1], nowMs)) return
      entries.delete(oldest.value[0])
    }
  }
  return {
    async get(key, nowMs) {
      dropExpiredHead(nowMs)
      const entry = entries.get(key)
      if (entry === undefined) return null
      entries.delete(key)
      if (isExpired(entry, nowMs)) return null
      entry.lastUsedMs = nowMs
      entries.set(key, entry)
      return { ...entry.pin }
    },
    async set(key, pin, nowMs) {
      entries.delete(key)
      entries.set(key, {
        pin: { provider: pin.provider, model: pin.model, keyIndex: pin.keyIndex },
        lastUsedMs: nowMs,
      })
      while (entries.size > options.maxConversations) {
        const oldest = entries.keys().next()
        if (oldest.done === true) break
        entries.delete(oldest.value)
      }
      dropExpiredHead(nowMs)
    },
    get size() {
      return entries.size
    },
  }
}
