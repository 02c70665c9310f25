import type { Clock } from '../lib/clock.js'
import type { FreeTierLimits } from '../providers/catalog.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'
import { targetKey } from './target-key.js'
import { TargetUsage } from './target-usage.js'
import type { AttemptTarget, EffectiveLimits, RemainingCapacity, UsageCounters } from './types.js'

/** Requests and tokens held for one call until it is settled with real usage or released. */
export interface Reservation {
  readonly target: AttemptTarget
  readonly estimatedTokens: number
  readonly reservedAtMs: number
  /** The call happened: replace the estimate by the tokens it used (null keeps the estimate). Idempotent. */
  settle(actualTokens: number | null): void
  /** The call never reached the provider: give the request and its tokens back. Idempotent. */
  release(): void
}

export interface RateLimitTrackerOptions {
  /** Configured limits for a target's counter (per model, or the provider's; null fields = unknown). */
  limitsFor(target: AttemptTarget): FreeTierLimits
  /** The IANA zone whose midnight resets the provider's daily quota. */
  resetZoneFor(provider: string): string
  /**
   * The counter a target's usage goes to; targets with the same one share it (keys of one quota pool).
   * Defaults to one counter per provider+model+key.
   */
  bucketOf?(target: AttemptTarget): string
}

/** One process's share of a counter's limits, from those limits and what is counted so far. */
export type CapOf = (limits: EffectiveLimits, counters: UsageCounters) => EffectiveLimits | null

/**
 * RPM, RPD, TPM and TPD per quota counter: a provider+model+key by default, a pool's model (or a pool)
 * when keys share an account's limits. Counts what SmartSplit sends, reserving each call's estimated
 * tokens up front (providers such as Cerebras reserve max tokens the same way), and takes each
 * response's rate-limit headers as the truth for their window until its reset.
 */
export class RateLimitTracker {
  readonly #clock: Clock
  readonly #options: RateLimitTrackerOptions
  readonly #usage = new Map<string, { target: AttemptTarget; usage: TargetUsage }>()
  #capOf: CapOf | null = null

  constructor(clock: Clock, options: RateLimitTrackerOptions) {
    this.#clock = clock
    this.#options = options
  }

  /** Counts one request and its estimated tokens now; check `canServe` first. */
  reserve(target: AttemptTarget, estimatedTokens: number): Reservation {
    const usage = this.#usageOf(target)
    const reservedAtMs = this.#clock.nowMs()
    const tokens = Math.max(0, estimatedTokens)
    const { slot, dayEndMs } = usage.add(1, tokens, reservedAtMs)
    let isDone = false
    const clock = this.#clock
    return {
      target: { ...target },
      estimatedTokens: tokens,
      reservedAtMs,
      settle(actualTokens) {
        if (isDone) return
        isDone = true
        if (actualTokens === null) return
        usage.adjust(slot, dayEndMs, 0, Math.max(0, actualTokens) - tokens, clock.nowMs())
      },
      release() {
        if (isDone) return
        isDone = true
        usage.adjust(slot, dayEndMs, -1, -tokens, clock.nowMs())
      },
    }
  }

  /** Applies what a response's headers said about the target's windows. */
  observe(target: AttemptTarget, reading: RateLimitReading): void {
    this.#usageOf(target).observe(reading, this.#clock.nowMs())
  }

  remaining(target: AttemptTarget): RemainingCapacity {
    const tracked = this.#usage.get(this.#bucketOf(target))
    if (tracked === undefined) return this.#fresh(target)
    return tracked.usage.remaining(this.#clock.nowMs())
  }

  limits(target: AttemptTarget): EffectiveLimits {
    const tracked = this.#usage.get(this.#bucketOf(target))
    return tracked === undefined ? { ...this.#options.limitsFor(target) } : tracked.usage.limits()
  }

  /** True when one more request with `estimatedTokens` fits every window of the target. */
  canServe(target: AttemptTarget, estimatedTokens: number): boolean {
    // One reading of the clock: a real clock may tick between two reads and say "not now" for nothing.
    const nowMs = this.#clock.nowMs()
    return this.#usageOf(target).recoveryAtMs(1, Math.max(0, estimatedTokens), nowMs) === nowMs
  }

  /** When a request with `estimatedTokens` fits again: now if it fits, null if it never will. */
  recoveryAtMs(target: AttemptTarget, estimatedTokens: number, nowMs = this.#clock.nowMs()): number | null {
    return this.#usageOf(target).recoveryAtMs(1, Math.max(0, estimatedTokens), nowMs)
  }

  /** When the target's current day window ends (its provider's next local midnight). */
  dayEndMs(target: AttemptTarget): number {
    return this.#usageOf(target).dayEndMs(this.#clock.nowMs())
  }

  /** Every counter that has used something today or this minute, under the first target that used it. */
  exportCounters(): Array<{ target: AttemptTarget; counters: UsageCounters }> {
    const nowMs = this.#clock.nowMs()
    return [...this.#usage.values()]
      .map(({ target, usage }) => ({ target: { ...target }, counters: usage.exportCounters(nowMs) }))
      .filter(
        ({ counters }) => counters.day.requests > 0 || counters.day.tokens > 0 || counters.minute.length > 0,
      )
  }

  importCounters(target: AttemptTarget, counters: UsageCounters): void {
    this.#usageOf(target).importCounters(counters, this.#clock.nowMs())
  }

  /**
   * Replaces a counter's counts by another view of them (a store shared by several instances). A cap in
   * force stays as it was set: it is a share of what was left when it was set, not of what is left now.
   */
  adoptCounters(target: AttemptTarget, counters: UsageCounters): void {
    this.#usageOf(target).replaceCounts(counters, this.#clock.nowMs())
  }

  /**
   * Caps every counter's limits, counters made later included (null lifts the caps): `capOf` sees a
   * counter's own limits and counts, and says how much of them this process may use on its own.
   */
  capLimits(capOf: CapOf | null): void {
    this.#capOf = capOf
    const nowMs = this.#clock.nowMs()
    for (const { usage } of this.#usage.values()) this.#cap(usage, nowMs)
  }

  #cap(usage: TargetUsage, nowMs: number): void {
    usage.capLimits(null)
    if (this.#capOf !== null) usage.capLimits(this.#capOf(usage.limits(), usage.exportCounters(nowMs)))
  }

  #fresh(target: AttemptTarget): RemainingCapacity {
    const limits = this.#options.limitsFor(target)
    return {
      requestsMinute: limits.rpm,
      requestsDay: limits.rpd,
      tokensMinute: limits.tpm,
      tokensDay: limits.tpd,
    }
  }

  #bucketOf(target: AttemptTarget): string {
    return this.#options.bucketOf?.(target) ?? targetKey(target)
  }

  #usageOf(target: AttemptTarget): TargetUsage {
    const key = this.#bucketOf(target)
    const tracked = this.#usage.get(key)
    if (tracked !== undefined) return tracked.usage
    const usage = new TargetUsage(
      this.#options.limitsFor(target),
      this.#options.resetZoneFor(target.provider),
      this.#clock.nowMs(),
    )
    this.#usage.set(key, { target: { ...target }, usage })
    if (this.#capOf !== null) this.#cap(usage, this.#clock.nowMs())
    return usage
  }
}
