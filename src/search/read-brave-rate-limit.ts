import type { QuotaKind, UpstreamFailureKind } from '../errors.js'
import { type HttpHeaders, headerValue } from '../wire/http-headers.js'

// Windows of a day or more are quotas (Brave's second window is the month, w=2592000).
const QUOTA_WINDOW_SECONDS = 86_400

function numbers(headers: HttpHeaders, name: string): number[] {
  return (headerValue(headers, name) ?? '')
    .split(',')
    .map((part) => Number.parseFloat(part.trim()))
    .map((value) => (Number.isFinite(value) ? value : Number.NaN))
}

/**
 * Brave states each window as a comma-separated pair, per second then per month:
 * `X-RateLimit-Remaining: 0, 14000`, `X-RateLimit-Reset: 1, 1419000` (seconds),
 * `X-RateLimit-Policy: 1;w=1, 15000;w=2592000`. Which window ran out says whether a 429 is a short rate
 * limit (retry in a second) or the monthly quota.
 */
export function readBraveRateLimit(headers: HttpHeaders): {
  kind: UpstreamFailureKind
  retryAfterMs: number | null
  quotaKind: QuotaKind
} | null {
  const remaining = numbers(headers, 'x-ratelimit-remaining')
  const resets = numbers(headers, 'x-ratelimit-reset')
  const windows = (headerValue(headers, 'x-ratelimit-policy') ?? '')
    .split(',')
    .map((part) => Number.parseFloat(/w=(\d+)/.exec(part)?.[1] ?? ''))
  const spent = remaining.indexOf(0)
  if (spent < 0) return null
  const resetSeconds = resets[spent]
  const windowSeconds = windows[spent]
  const isQuota =
    windowSeconds !== undefined && Number.isFinite(windowSeconds)
      ? windowSeconds >= QUOTA_WINDOW_SECONDS
      : spent > 0
  return {
    kind: isQuota ? 'quota' : 'rate_limit',
    retryAfterMs:
      resetSeconds !== undefined && Number.isFinite(resetSeconds) ? Math.round(resetSeconds * 1000) : null,
    quotaKind: isQuota ? 'unknown' : 'minute',
  }
}
