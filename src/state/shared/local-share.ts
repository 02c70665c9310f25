import type { CapOf } from '../rate-limit-tracker.js'

/**
 * What one instance may use of each limit on its own while Redis is away, when `instances` shared it:
 * 1/N of every per-minute limit, and 1/N of what was left of every daily one. N instances that each keep
 * to their share stay within the limit together, whatever the others did meanwhile.
 */
export function localShare(instances: number): CapOf {
  const share = 1 / Math.max(1, instances)
  const perMinute = (limit: number | null): number | null =>
    limit === null ? null : Math.floor(limit * share)
  const perDay = (limit: number | null, used: number): number | null =>
    limit === null ? null : used + Math.floor(Math.max(0, limit - used) * share)
  return (limits, counters) => ({
    rpm: perMinute(limits.rpm),
    tpm: perMinute(limits.tpm),
    rpd: perDay(limits.rpd, counters.day.requests),
    tpd: perDay(limits.tpd, counters.day.tokens),
  })
}
