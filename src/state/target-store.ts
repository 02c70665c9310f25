import type { Clock } from '../lib/clock.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'
import {
  type BreakerSlot,
  type BreakerState,
  CircuitBreaker,
  type CircuitBreakerOptions,
} from './circuit-breaker.js'
import { type Block, Cooldowns } from './cooldowns.js'
import type { QuotaPools } from './quota-pools.js'
import { RateLimitTracker, type Reservation } from './rate-limit-tracker.js'
import { type RetiredModel, RetiredModels } from './retired-models.js'
import { targetKey } from './target-key.js'
import type { AttemptTarget, EffectiveLimits, RemainingCapacity, UsageCounters } from './types.js'

// Where the state of every provider × model × key lives: breakers, usage windows, cooldowns, retired
// models. The rules that read and change it (availability, what an outcome does, who may be called) are
// written against these interfaces only, so the state can live elsewhere than in this process's memory.
// The in-memory implementation below is the one SmartSplit runs with by default.

/** One provider+model's circuit breaker. */
export interface Breaker {
  state(): BreakerState
  openUntilMs(): number | null
  recentFailures(): number
  isProbeInFlight(): boolean
  canAcquire(): boolean
  tryAcquire(): BreakerSlot | null
  releaseProbe(): void
  recordSuccess(): void
  recordFailure(): void
}

export interface Breakers {
  of(target: AttemptTarget): Breaker
  /** What opened (or last failed) the target's breaker, for the reason shown with it. */
  lastFailure(target: AttemptTarget): string | null
  noteFailure(target: AttemptTarget, why: string): void
}

/** RPM, RPD, TPM and TPD per quota counter. */
export interface UsageWindows {
  reserve(target: AttemptTarget, estimatedTokens: number): Reservation
  observe(target: AttemptTarget, reading: RateLimitReading): void
  remaining(target: AttemptTarget): RemainingCapacity
  limits(target: AttemptTarget): EffectiveLimits
  canServe(target: AttemptTarget, estimatedTokens: number): boolean
  recoveryAtMs(target: AttemptTarget, estimatedTokens: number, nowMs?: number): number | null
  dayEndMs(target: AttemptTarget): number
  exportCounters(): Array<{ target: AttemptTarget; counters: UsageCounters }>
  importCounters(target: AttemptTarget, counters: UsageCounters): void
}

/** Targets the providers told us to leave alone: cooldowns, spent quotas, disabled keys. */
export interface Blocks {
  coolDown(target: AttemptTarget, durationMs: number, reason: string): void
  exhaustQuota(target: AttemptTarget, untilMs: number, reason: string): void
  disableKey(provider: string, keyIndex: number, reason: string): void
  blockOf(target: AttemptTarget): Block | null
  exportBlocks(): Array<{ target: AttemptTarget; block: Block }>
}

/** Models the providers said they no longer serve. */
export interface Retirements {
  retire(provider: string, model: string, reason: string): boolean
  find(provider: string, model: string): RetiredModel | null
  isRetired(provider: string, model: string): boolean
  list(): RetiredModel[]
}

export interface TargetStore {
  breakers: Breakers
  windows: UsageWindows
  blocks: Blocks
  retired: Retirements
  /** Remembers a target that was used, so health and persistence know it beyond the configured ones. */
  touch(target: AttemptTarget): void
  seen(): Iterable<AttemptTarget>
}

export interface MemoryTargetStoreOptions {
  clock: Clock
  breaker: CircuitBreakerOptions
  pools: Pick<QuotaPools, 'limitsFor' | 'bucketOf'>
  resetZoneFor(provider: string): string
}

/** The concrete parts of the in-memory store, for a store that mirrors another one (state/shared/). */
export interface MemoryTargetParts {
  store: TargetStore
  tracker: RateLimitTracker
  cooldowns: Cooldowns
  retired: RetiredModels
  breakerOf(provider: string, model: string): CircuitBreaker
}

/** The state of one process, in memory: today's breakers, windows and cooldowns. */
export function createMemoryTargetStore(options: MemoryTargetStoreOptions): TargetStore {
  return createMemoryTargetParts(options).store
}

export function createMemoryTargetParts(options: MemoryTargetStoreOptions): MemoryTargetParts {
  const { clock } = options
  const breakers = new Map<string, CircuitBreaker>()
  const failures = new Map<string, string>()
  const seen = new Map<string, AttemptTarget>()
  const modelKey = (target: Pick<AttemptTarget, 'provider' | 'model'>): string =>
    `${target.provider}\u0000${target.model}`
  const breakerOf = (provider: string, model: string): CircuitBreaker => {
    let breaker = breakers.get(modelKey({ provider, model }))
    if (breaker === undefined)
      breakers.set(modelKey({ provider, model }), (breaker = new CircuitBreaker(clock, options.breaker)))
    return breaker
  }
  const tracker = new RateLimitTracker(clock, {
    limitsFor: options.pools.limitsFor,
    bucketOf: options.pools.bucketOf,
    resetZoneFor: options.resetZoneFor,
  })
  const cooldowns = new Cooldowns(clock, options.pools.bucketOf)
  const retired = new RetiredModels(clock)
  const store: TargetStore = {
    breakers: {
      of: (target) => breakerOf(target.provider, target.model),
      lastFailure: (target) => failures.get(modelKey(target)) ?? null,
      noteFailure: (target, why) => void failures.set(modelKey(target), why),
    },
    windows: tracker,
    blocks: cooldowns,
    retired,
    touch(target) {
      seen.set(targetKey(target), {
        provider: target.provider,
        model: target.model,
        keyIndex: target.keyIndex,
      })
    },
    seen: () => seen.values(),
  }
  return { store, tracker, cooldowns, retired, breakerOf }
}
