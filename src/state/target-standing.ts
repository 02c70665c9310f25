import { availabilityScore } from './availability-score.js'
import { capacityBlock } from './capacity-block.js'
import type { TargetStore } from './target-store.js'
import type { AttemptTarget, Availability, TargetView } from './types.js'

/**
 * Whether a target can take a call now, and if not until when and why: a retired model, a disabled key,
 * a cooldown or spent quota, an open breaker, or counting alone (its windows are full); the block that
 * ends last wins. Half-open lets one probe through.
 */
export function availabilityOf(store: TargetStore, target: AttemptTarget, nowMs: number): Availability {
  const gone = store.retired.find(target.provider, target.model)
  if (gone !== null) {
    const reason = `${target.provider} no longer serves ${target.model}: ${gone.reason}`
    return { state: 'disabled', untilMs: gone.recheckAtMs, reason }
  }
  const block = store.blocks.blockOf(target)
  if (block?.state === 'disabled') return { state: 'disabled', untilMs: null, reason: block.reason }
  const blocking: Availability[] = block === null ? [] : [block]
  const breaker = store.breakers.of(target)
  const breakerState = breaker.state()
  if (breakerState === 'open') {
    const why = store.breakers.lastFailure(target) ?? 'repeated failures'
    blocking.push({ state: 'open', untilMs: breaker.openUntilMs(), reason: `circuit open after ${why}` })
  }
  const capacity = capacityBlock(store.windows, target, nowMs)
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

export function isUsable(store: TargetStore, target: AttemptTarget, availability: Availability): boolean {
  return (
    (availability.state === 'ok' || availability.state === 'half_open') &&
    store.breakers.of(target).canAcquire()
  )
}

/** One target as the router and /health see it: availability, what is left, and a 0..1 score. */
export function viewOf(
  store: TargetStore,
  target: AttemptTarget,
  nowMs: number,
  failureThreshold: number,
): TargetView {
  const availability = availabilityOf(store, target, nowMs)
  const usable = isUsable(store, target, availability)
  const remaining = store.windows.remaining(target)
  const limits = store.windows.limits(target)
  const score = availabilityScore({
    availability,
    isUsable: usable,
    remaining,
    limits,
    recentFailures: store.breakers.of(target).recentFailures(),
    failureThreshold,
  })
  return { target: { ...target }, availability, remaining, limits, isUsable: usable, score }
}

function latestEnding(blocking: readonly Availability[]): Availability {
  const endOf = (state: Availability): number => state.untilMs ?? Number.POSITIVE_INFINITY
  return blocking.reduce((latest, state) => (endOf(state) > endOf(latest) ? state : latest))
}
