import type { Availability, EffectiveLimits, RemainingCapacity } from './types.js'

const WINDOW_LIMITS: ReadonlyArray<[keyof RemainingCapacity, keyof EffectiveLimits]> = [
  ['requestsMinute', 'rpm'],
  ['requestsDay', 'rpd'],
  ['tokensMinute', 'tpm'],
  ['tokensDay', 'tpd'],
]

/** A half-open target is worth one probe, but the router should prefer a healthy one. */
const HALF_OPEN_HEALTH = 0.3
/** How much a breaker one failure short of opening costs a target. */
const MAX_FAILURE_PENALTY = 0.5

/**
 * 0..1 for the router: health (0 when unusable, lower with recent failures or half-open) times the
 * smallest fraction left of any window with a known limit. Unlimited windows count as full.
 */
export function availabilityScore(input: {
  availability: Availability
  isUsable: boolean
  remaining: RemainingCapacity
  limits: EffectiveLimits
  recentFailures: number
  failureThreshold: number
}): number {
  if (!input.isUsable) return 0
  const failureShare = Math.min(1, input.recentFailures / Math.max(1, input.failureThreshold))
  const health =
    input.availability.state === 'half_open' ? HALF_OPEN_HEALTH : 1 - MAX_FAILURE_PENALTY * failureShare
  let capacity = 1
  for (const [window, limitName] of WINDOW_LIMITS) {
    const left = input.remaining[window]
    if (left === null) continue
    const limit = input.limits[limitName]
    const fraction = limit === null || limit <= 0 ? (left > 0 ? 1 : 0) : Math.min(1, left / limit)
    capacity = Math.min(capacity, fraction)
  }
  return Math.max(0, Math.min(1, health * capacity))
}
