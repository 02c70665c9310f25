import type { ProviderConfig } from '../config/types.js'
import type { Clock } from '../lib/clock.js'
import { redactSecrets } from '../lib/redact.js'
import { availabilityScore } from './availability-score.js'
import { buildHealthReport } from './build-health-report.js'
import { capacityBlock } from './capacity-block.js'
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js'
import { Cooldowns } from './cooldowns.js'
import { dailyResetZone } from './daily-reset-zone.js'
import { exportSavedCounters } from './export-saved-counters.js'
import { importSavedCounters } from './import-saved-counters.js'
import { nextDailyResetMs } from './next-daily-reset-ms.js'
import { outcomeEffect } from './outcome-effect.js'
import { quotaPools } from './quota-pools.js'
import { RateLimitTracker } from './rate-limit-tracker.js'
import { type RetiredModel, RetiredModels } from './retired-models.js'
import type { SavedCounters } from './saved-counters-schema.js'
import { type StateChange, stateChanges, type TargetStateView } from './state-change.js'
import { targetKey } from './target-key.js'
import type {
  AttemptOutcome,
  AttemptTarget,
  Availability,
  HealthReport,
  StateSnapshot,
  TargetView,
} from './types.js'

export interface ProviderStateOptions {
  clock: Clock
  providers: readonly ProviderConfig[]
  breaker?: Partial<CircuitBreakerOptions>
  /** Per-provider IANA zones for the daily reset, over the built-in table (Gemini: Pacific, else UTC). */
  dailyResetZones?: Readonly<Record<string, string>>
  /** Told when a target enters a worse state (breaker open, cooldown, quota spent, key disabled). */
  onChange?: (change: StateChange) => void
  /** Told once when a provider first answers that a model is gone (the app logs a warning). */
  onModelRetired?: (retired: RetiredModel) => void
}

/** One attempt in progress: its reservation and, when half-open, the breaker's single probe slot. */
export interface AttemptHandle {
  readonly target: AttemptTarget
  readonly isProbe: boolean
  readonly startedAtMs: number
  readonly estimatedTokens: number
  /** Settles the reservation with real usage and applies the outcome. Only the first call counts. */
  finish(outcome: AttemptOutcome): void
  /** The call never reached the provider: gives back the reservation and the probe slot. */
  release(): void
}

/** One call's claim, as the pipeline's capacity gate hands it out. */
export interface Lease {
  readonly isProbe: boolean
  settle(outcome: AttemptOutcome): void
  release(): void
}

export interface ProviderState {
  availability(target: AttemptTarget): Availability
  snapshot(): StateSnapshot
  /** A lease for one call with its tokens reserved, or why the target cannot take it now. */
  admit(target: AttemptTarget, estimatedTokens: number): Promise<{ lease: Lease } | { refused: Availability }>
  /** A slot for one call, with its tokens reserved; null when the target cannot take it now. */
  beginAttempt(target: AttemptTarget, estimatedTokens: number): AttemptHandle | null
  /** Applies an outcome observed without a handle (no reservation to settle). */
  recordOutcome(target: AttemptTarget, outcome: AttemptOutcome): void
  /** Now if a target is usable; else when the first one recovers; null if none ever will without config. */
  earliestRecoveryMs(): number | null
  healthReport(): HealthReport
  exportCounters(): SavedCounters
  /** Restores saved counters (validated); returns how many targets and blocks were taken. */
  importCounters(saved: unknown): { targets: number; blocks: number }
  /** Models the providers said they no longer serve, until their recheck. */
  retiredModels(): RetiredModel[]
  isRetired(provider: string, model: string): boolean
}

/** Breakers, rate limits, cooldowns and quotas for every provider+model+key, behind one clock. */
export function createProviderState(options: ProviderStateOptions): ProviderState {
  const { clock } = options
  const providers = new Map(options.providers.map((provider) => [provider.name, provider]))
  const zones = options.dailyResetZones ?? {}
  const zoneOf = (provider: string): string => dailyResetZone(provider, zones)
  for (const provider of providers.keys()) nextDailyResetMs(clock.nowMs(), zoneOf(provider)) // RangeError on a bad zone
  const breakerOptions = { ...CircuitBreaker.defaults, ...options.breaker }
  const pools = quotaPools(options.providers)
  const tracker = new RateLimitTracker(clock, {
    limitsFor: pools.limitsFor,
    bucketOf: pools.bucketOf,
    resetZoneFor: zoneOf,
  })
  const cooldowns = new Cooldowns(clock, pools.bucketOf)
  const retired = new RetiredModels(clock)
  const breakers = new Map<string, CircuitBreaker>()
  const lastFailures = new Map<string, string>()
  const seen = new Map<string, AttemptTarget>()

  const modelKey = (target: AttemptTarget): string => `${target.provider}\u0000${target.model}`
  const breakerOf = (target: AttemptTarget): CircuitBreaker => {
    let breaker = breakers.get(modelKey(target))
    if (breaker === undefined)
      breakers.set(modelKey(target), (breaker = new CircuitBreaker(clock, breakerOptions)))
    return breaker
  }
  const touch = (target: AttemptTarget): void => {
    seen.set(targetKey(target), { provider: target.provider, model: target.model, keyIndex: target.keyIndex })
  }
  const redact = (provider: string, text: string): string =>
    redactSecrets(text, providers.get(provider)?.apiKeys ?? []).slice(0, 300)

  function availability(target: AttemptTarget): Availability {
    const gone = retired.find(target.provider, target.model)
    if (gone !== null) {
      const reason = `${target.provider} no longer serves ${target.model}: ${gone.reason}`
      return { state: 'disabled', untilMs: gone.recheckAtMs, reason }
    }
    const block = cooldowns.blockOf(target)
    if (block?.state === 'disabled') return { state: 'disabled', untilMs: null, reason: block.reason }
    const blocking: Availability[] = block === null ? [] : [block]
    const breaker = breakerOf(target)
    const breakerState = breaker.state()
    if (breakerState === 'open') {
      const why = lastFailures.get(modelKey(target)) ?? 'repeated failures'
      blocking.push({ state: 'open', untilMs: breaker.openUntilMs(), reason: `circuit open after ${why}` })
    }
    const capacity = capacityBlock(tracker, target, clock.nowMs())
    if (capacity !== null) blocking.push(capacity)
    if (blocking.length > 0) return latestEnding(blocking)
    if (breakerState === 'half_open') {
      const reason = breaker.isProbeInFlight()
        ? 'a probe request is in flight'
        : 'circuit half-open: the next request probes'
      return { state: 'half_open', untilMs: null, reason }
    }
    return { state: 'ok', untilMs: null, reason: null }
  }

  function isUsable(target: AttemptTarget, state: Availability): boolean {
    return (state.state === 'ok' || state.state === 'half_open') && breakerOf(target).canAcquire()
  }

  function viewOf(target: AttemptTarget): TargetView {
    const state = availability(target)
    const usable = isUsable(target, state)
    const remaining = tracker.remaining(target)
    const limits = tracker.limits(target)
    const recentFailures = breakerOf(target).recentFailures()
    const failureThreshold = breakerOptions.failureThreshold
    const score = availabilityScore({
      availability: state,
      isUsable: usable,
      remaining,
      limits,
      recentFailures,
      failureThreshold,
    })
    return { target: { ...target }, availability: state, remaining, limits, isUsable: usable, score }
  }

  /** Every configured model of every enabled provider on each key, plus anything used since. */
  function knownTargets(): AttemptTarget[] {
    const targets = new Map<string, AttemptTarget>()
    for (const provider of providers.values()) {
      if (!provider.enabled) continue
      const models = new Set([provider.model, provider.fastModel, provider.strongModel])
      for (const model of models) {
        for (let keyIndex = 0; keyIndex < Math.max(1, provider.apiKeys.length); keyIndex++) {
          const target = { provider: provider.name, model, keyIndex }
          targets.set(targetKey(target), target)
        }
      }
    }
    for (const [key, target] of seen) targets.set(key, target)
    return [...targets.values()]
  }

  const stateView = (target: AttemptTarget): TargetStateView => {
    const breaker = breakerOf(target)
    return {
      block: cooldowns.blockOf(target),
      breaker: breaker.state(),
      breakerReason: lastFailures.get(modelKey(target)) ?? null,
      breakerUntilMs: breaker.openUntilMs(),
    }
  }

  function apply(target: AttemptTarget, outcome: AttemptOutcome, isProbe: boolean): void {
    const before = options.onChange === undefined ? null : stateView(target)
    applyOutcome(target, outcome, isProbe)
    if (before !== null)
      for (const change of stateChanges(target, before, stateView(target))) options.onChange!(change)
  }

  function applyOutcome(target: AttemptTarget, outcome: AttemptOutcome, isProbe: boolean): void {
    touch(target)
    if (outcome.limits != null) tracker.observe(target, outcome.limits)
    const breaker = breakerOf(target)
    const effect = outcomeEffect(outcome)
    const detail = redact(target.provider, outcome.message ?? '')
    const status = outcome.status != null ? ` ${outcome.status}` : ''
    const who = `${target.provider} key ${target.keyIndex + 1}`
    switch (effect.kind) {
      case 'success':
        breaker.recordSuccess()
        break
      case 'breaker_failure':
        lastFailures.set(modelKey(target), `${outcome.outcome}${status}${detail ? `: ${detail}` : ''}`)
        breaker.recordFailure()
        break
      case 'cooldown':
        cooldowns.coolDown(
          target,
          effect.durationMs,
          `rate-limited (429) by ${who}${detail ? `: ${detail}` : ''}`,
        )
        break
      case 'quota_until_reset': {
        const untilMs = tracker.dayEndMs(target)
        const reason = `daily quota spent on ${who}; resets at midnight ${zoneOf(target.provider)}`
        cooldowns.exhaustQuota(target, untilMs, reason)
        break
      }
      case 'disable_key': {
        const what =
          effect.cause === 'auth'
            ? `${who} was rejected (${outcome.status ?? 'auth'}): check or replace the key in the config`
            : `${who} has no credits left (${outcome.status ?? 402}): add credits or remove the key`
        cooldowns.disableKey(
          target.provider,
          target.keyIndex,
          detail ? `${what}. Upstream said: ${detail}` : what,
        )
        break
      }
      case 'retire_model':
        if (retired.retire(target.provider, target.model, detail || `${outcome.status ?? 404}`)) {
          options.onModelRetired?.(retired.find(target.provider, target.model)!)
        }
        break
      case 'none':
        break
    }
    // A probe that ended without a verdict (429, bad request…) frees the slot for the next one.
    if (isProbe && effect.kind !== 'success' && effect.kind !== 'breaker_failure') breaker.releaseProbe()
  }

  function beginAttempt(target: AttemptTarget, estimatedTokens: number): AttemptHandle | null {
    if (cooldowns.blockOf(target) !== null || retired.isRetired(target.provider, target.model)) return null
    const breaker = breakerOf(target)
    if (!breaker.canAcquire() || !tracker.canServe(target, estimatedTokens)) return null
    const slot = breaker.tryAcquire()
    if (slot === null) return null
    touch(target)
    const reservation = tracker.reserve(target, estimatedTokens)
    let isDone = false
    return {
      target: { ...target },
      isProbe: slot === 'probe',
      startedAtMs: reservation.reservedAtMs,
      estimatedTokens: reservation.estimatedTokens,
      finish(outcome) {
        if (isDone) return
        isDone = true
        // Providers do not count what they refused for limits or credentials; everything else was sent.
        const wasRefused = ['rate_limit', 'quota', 'auth', 'billing'].includes(outcome.outcome)
        if (wasRefused) reservation.release()
        else reservation.settle(outcome.usageTokens ?? (outcome.outcome === 'ok' ? null : 0))
        apply(target, outcome, slot === 'probe')
      },
      release() {
        if (isDone) return
        isDone = true
        reservation.release()
        if (slot === 'probe') breaker.releaseProbe()
      },
    }
  }

  // Views are computed when first asked for: routing one request looks at a handful of targets, and
  // computing every known target up front cost more than the rest of the routing decision.
  function snapshot(): StateSnapshot {
    const atMs = clock.nowMs()
    const views = new Map<string, TargetView>()
    const view = (target: AttemptTarget): TargetView => {
      const key = targetKey(target)
      let found = views.get(key)
      if (found === undefined) views.set(key, (found = viewOf(target)))
      return found
    }
    let targets: TargetView[] | null = null
    return {
      atMs,
      get targets() {
        targets ??= knownTargets().map(view)
        return targets
      },
      view,
      isRetired: (provider, model) => retired.isRetired(provider, model),
    }
  }

  function earliestRecoveryMs(): number | null {
    let earliest: number | null = null
    for (const target of knownTargets()) {
      const state = availability(target)
      if (isUsable(target, state)) return clock.nowMs()
      if (state.untilMs !== null && (earliest === null || state.untilMs < earliest)) earliest = state.untilMs
    }
    return earliest
  }

  const apiKeysOf = (provider: string): readonly string[] => providers.get(provider)?.apiKeys ?? []

  return {
    availability,
    snapshot,
    async admit(target, estimatedTokens) {
      const handle = beginAttempt(target, estimatedTokens)
      if (handle === null) return { refused: availability(target) }
      return {
        lease: {
          isProbe: handle.isProbe,
          settle: (outcome) => handle.finish(outcome),
          release: () => handle.release(),
        },
      }
    },
    beginAttempt,
    recordOutcome: (target, outcome) => apply(target, outcome, false),
    earliestRecoveryMs,
    healthReport: () =>
      buildHealthReport({
        atMs: clock.nowMs(),
        providers: [...providers.values()].filter((provider) => provider.enabled),
        targets: knownTargets(),
        zoneOf,
        view: viewOf,
        breakerOf,
        poolOf: pools.poolOf,
        retired: retired.list(),
      }),
    exportCounters: () => exportSavedCounters({ nowMs: clock.nowMs(), tracker, cooldowns, apiKeysOf }),
    importCounters(input) {
      const imported = importSavedCounters(input, { nowMs: clock.nowMs(), tracker, cooldowns, apiKeysOf })
      for (const target of imported.targets) touch(target)
      return { targets: imported.targets.length - imported.blockCount, blocks: imported.blockCount }
    },
    retiredModels: () => retired.list(),
    isRetired: (provider, model) => retired.isRetired(provider, model),
  }
}

function latestEnding(blocking: readonly Availability[]): Availability {
  const endOf = (state: Availability): number => state.untilMs ?? Number.POSITIVE_INFINITY
  return blocking.reduce((latest, state) => (endOf(state) > endOf(latest) ? state : latest))
}
