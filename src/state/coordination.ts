import type { Clock } from '../lib/clock.js'
import { applyOutcome, type OutcomeRules } from './apply-outcome.js'
import { targetKey } from './target-key.js'
import { availabilityOf, viewOf } from './target-standing.js'
import type { Admission, AttemptOutcome, AttemptTarget, Lease, StateSnapshot, TargetView } from './types.js'

/**
 * Who may be called now, shared by every request: read once per request as a snapshot, then one lease
 * per call (admit → settle or release). Asynchronous so that a store shared by several instances can sit
 * behind it; the in-memory one answers at once.
 */
export interface Coordination {
  snapshot(): Promise<StateSnapshot>
  /** Reserves capacity for one call, atomically with the check; refused with the reason otherwise. */
  admit(target: AttemptTarget, estimatedTokens: number): Promise<Admission>
  /** Applies an outcome observed without a lease (no reservation to settle). */
  observe(target: AttemptTarget, outcome: AttemptOutcome): Promise<void>
}

export interface CoordinationRules extends OutcomeRules {
  clock: Clock
  failureThreshold: number
  knownTargets(): AttemptTarget[]
}

/** Providers do not count what they refused for limits or credentials; everything else was sent. */
export const REFUSED_OUTCOMES: ReadonlySet<string> = new Set(['rate_limit', 'quota', 'auth', 'billing'])

export function createCoordination(rules: CoordinationRules): Coordination {
  const { store, clock } = rules

  function tryLease(target: AttemptTarget, estimatedTokens: number): Lease | null {
    if (store.blocks.blockOf(target) !== null || store.retired.isRetired(target.provider, target.model))
      return null
    const breaker = store.breakers.of(target)
    if (!breaker.canAcquire() || !store.windows.canServe(target, estimatedTokens)) return null
    const slot = breaker.tryAcquire()
    if (slot === null) return null
    store.touch(target)
    const reservation = store.windows.reserve(target, estimatedTokens)
    let isDone = false
    return {
      isProbe: slot === 'probe',
      settle(outcome) {
        if (isDone) return
        isDone = true
        if (REFUSED_OUTCOMES.has(outcome.outcome)) reservation.release()
        else reservation.settle(outcome.usageTokens ?? (outcome.outcome === 'ok' ? null : 0))
        applyOutcome(rules, target, outcome, slot === 'probe')
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
      if (found === undefined) views.set(key, (found = viewOf(store, target, atMs, rules.failureThreshold)))
      return found
    }
    let targets: TargetView[] | null = null
    return {
      atMs,
      get targets() {
        targets ??= rules.knownTargets().map(view)
        return targets
      },
      view,
      isRetired: (provider, model) => store.retired.isRetired(provider, model),
    }
  }

  return {
    snapshot: async () => snapshot(),
    async admit(target, estimatedTokens) {
      const lease = tryLease(target, estimatedTokens)
      return lease === null ? { refused: availabilityOf(store, target, clock.nowMs()) } : { lease }
    },
    async observe(target, outcome) {
      applyOutcome(rules, target, outcome, false)
    },
  }
}
