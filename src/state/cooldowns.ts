import { boundedWaitMs } from '../errors.js'
import type { Clock } from '../lib/clock.js'
import { targetKey } from './target-key.js'
import type { AttemptTarget } from './types.js'

/**
 * The longest cooldown a 429 can cause. Providers mean seconds or minutes; a daily quota has its own
 * block until the reset, so a longer stated wait is a bug or an attack, not a reason to drop a key.
 */
export const MAX_COOLDOWN_MS = 24 * 3_600_000

/** Why a target is off: for a while (429), until the daily reset (quota), or until config changes. */
export interface Block {
  state: 'cooldown' | 'quota' | 'disabled'
  /** Null for `disabled`: only a configuration change brings the key back. */
  untilMs: number | null
  reason: string
}

interface TimedBlock extends Block {
  untilMs: number
}

/**
 * Targets the provider told us to leave alone. Cooldowns and quotas are per quota counter: a
 * provider+model+key by default (Groq and Gemini count per model), shared by every key of a pool when
 * they draw on one account's limits (a 429 on one is a 429 for all). A rejected or unfunded key is off
 * for every model of its provider.
 */
export class Cooldowns {
  readonly #clock: Clock
  readonly #bucketOf: (target: AttemptTarget) => string
  readonly #timed = new Map<string, { target: AttemptTarget; block: TimedBlock }>()
  readonly #disabledKeys = new Map<string, string>()

  constructor(clock: Clock, bucketOf: (target: AttemptTarget) => string = targetKey) {
    this.#clock = clock
    this.#bucketOf = bucketOf
  }

  /** Off for `durationMs` (a 429's Retry-After), at most 24 h. A longer block already in place is kept. */
  coolDown(target: AttemptTarget, durationMs: number, reason: string): void {
    const waitMs = boundedWaitMs(durationMs, MAX_COOLDOWN_MS) ?? 0
    this.#block(target, { state: 'cooldown', untilMs: this.#clock.nowMs() + waitMs, reason })
  }

  /** Off until `untilMs`, the provider's next daily reset. */
  exhaustQuota(target: AttemptTarget, untilMs: number, reason: string): void {
    this.#block(target, { state: 'quota', untilMs, reason })
  }

  /** Off for every model of the provider until the configuration changes (401/403, 402). */
  disableKey(provider: string, keyIndex: number, reason: string): void {
    this.#disabledKeys.set(keyOf(provider, keyIndex), reason)
  }

  /** The block in force for a target, or null: a disabled key first, else the one that ends last. */
  blockOf(target: AttemptTarget): Block | null {
    const disabledReason = this.#disabledKeys.get(keyOf(target.provider, target.keyIndex))
    if (disabledReason !== undefined) return { state: 'disabled', untilMs: null, reason: disabledReason }
    const key = this.#bucketOf(target)
    const timed = this.#timed.get(key)
    if (timed === undefined) return null
    if (this.#clock.nowMs() >= timed.block.untilMs) {
      this.#timed.delete(key)
      return null
    }
    return { ...timed.block }
  }

  /** Another instance's block on the same counter, taken as it is (the longer one in force is kept). */
  adopt(target: AttemptTarget, block: Block): void {
    if (block.state === 'disabled' || block.untilMs === null) return
    this.#block(target, { ...block, untilMs: block.untilMs })
  }

  /** Keys turned off until the configuration changes, for instances that share them. */
  disabledKeys(): Array<{ provider: string; keyIndex: number; reason: string }> {
    return [...this.#disabledKeys].map(([key, reason]) => {
      const [provider, keyIndex] = key.split('\u0000') as [string, string]
      return { provider, keyIndex: Number(keyIndex), reason }
    })
  }

  /** Timed blocks still in force, for persistence (disabled keys are not kept: config may change). */
  exportBlocks(): Array<{ target: AttemptTarget; block: Block }> {
    const nowMs = this.#clock.nowMs()
    return [...this.#timed.values()]
      .filter(({ block }) => block.untilMs > nowMs)
      .map(({ target, block }) => ({ target: { ...target }, block: { ...block } }))
  }

  #block(target: AttemptTarget, block: TimedBlock): void {
    const key = this.#bucketOf(target)
    const current = this.#timed.get(key)
    const isCurrentLonger =
      current !== undefined &&
      current.block.untilMs > this.#clock.nowMs() &&
      current.block.untilMs >= block.untilMs
    if (isCurrentLonger) return
    this.#timed.set(key, { target: { ...target }, block })
  }
}

function keyOf(provider: string, keyIndex: number): string {
  return `${provider}\u0000${keyIndex}`
}
