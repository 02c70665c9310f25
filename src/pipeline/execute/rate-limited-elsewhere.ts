import { type AttemptRecord, turnedAway } from '../attempts.js'
import type { CapacityGate } from '../ports.js'

const isRateLimit = (a: AttemptRecord): boolean =>
  a.outcome === 'rate_limit' ||
  a.outcome === 'quota' ||
  (a.outcome === 'skipped' && (a.skippedAs === 'rate_limit' || a.skippedAs === 'quota'))

const targetId = (t: { provider: string; model: string; keyIndex: number }): string =>
  `${t.provider}\u0000${t.model}\u0000${t.keyIndex}`

/**
 * The attempts, plus (for the error only) every target the plan left out because it is cooling down or
 * out of quota, when the attempts themselves were only rate limits. Without them the 429's Retry-After
 * was the earliest recovery among the providers tried, not the earliest of all: a provider excluded at
 * planning time for a 30 s cooldown was hidden behind a tried one's 50 s.
 */
export async function withRateLimitedElsewhere(
  attempts: AttemptRecord[],
  capacity: CapacityGate,
  nowMs: number,
): Promise<AttemptRecord[]> {
  if (attempts.length === 0 || !attempts.every(isRateLimit)) return attempts
  const tried = new Set(attempts.map(targetId))
  const snapshot = await capacity.snapshot()
  const elsewhere = snapshot.targets
    .filter(({ target, availability }) => {
      const isTimedLimit = availability.state === 'cooldown' || availability.state === 'quota'
      return isTimedLimit && availability.untilMs !== null && !tried.has(targetId(target))
    })
    .map(({ target, availability }) => turnedAway(target, availability, nowMs))
  return [...attempts, ...elsewhere]
}
