import type { UsageWindows } from './target-store.js'
import type { AttemptTarget, Availability, RemainingCapacity } from './types.js'

const WINDOW_LABELS: ReadonlyArray<[keyof RemainingCapacity, string]> = [
  ['requestsMinute', 'requests per minute'],
  ['requestsDay', 'requests per day'],
  ['tokensMinute', 'tokens per minute'],
  ['tokensDay', 'tokens per day'],
]

/**
 * Why counting alone keeps a target from one more small request, or null when it has room. A spent day
 * window reads as `quota`, anything shorter as `cooldown`, so "only rate-limited" stays recognisable.
 */
export function capacityBlock(
  tracker: UsageWindows,
  target: AttemptTarget,
  nowMs: number,
): Availability | null {
  // The same instant throughout: a real clock may tick between two reads.
  const recoveryAtMs = tracker.recoveryAtMs(target, 1, nowMs)
  if (recoveryAtMs === nowMs) return null
  const left = tracker.remaining(target)
  const spent = WINDOW_LABELS.filter(([window]) => {
    const value = left[window]
    return value !== null && value < 1
  }).map(([, label]) => label)
  const what = spent.length > 0 ? spent.join(' and ') : 'capacity'
  return {
    state: left.requestsDay === 0 || left.tokensDay === 0 ? 'quota' : 'cooldown',
    untilMs: recoveryAtMs,
    reason: `${what} spent${recoveryAtMs === null ? ' (the limit is below one request)' : ''}`,
  }
}
