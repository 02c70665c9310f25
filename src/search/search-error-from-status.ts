import type { QuotaKind, UpstreamFailureKind } from '../errors.js'
import { classifyUpstreamStatus } from '../wire/classify-upstream-status.js'
import { type HttpHeaders, headerValue } from '../wire/http-headers.js'
import { SearchError } from './types.js'

// Serper answers 400 "Not enough credits" once the one-time free credits are spent.
const NO_CREDITS_PATTERN = /not enough credits|insufficient credits|out of credits|no credits/i
// Tavily's 432 (plan limit) and 433 (pay-as-you-go limit) are monthly quotas, not rate limits.
const QUOTA_STATUSES = new Set([432, 433])
const QUOTA_PATTERN = /quota|usage limit|plan limit|limit exceeded for (?:your )?plan|monthly/i

/** `retry-after` in seconds only: an HTTP date would need a clock, which adapters never read. */
function retryAfterMs(headers: HttpHeaders): number | null {
  const value = headerValue(headers, 'retry-after')?.trim()
  return value !== undefined && /^\d+(\.\d+)?$/.test(value) ? Math.round(Number(value) * 1000) : null
}

/** A search API's HTTP error → SearchError, from the status, the API's message and its headers. */
export function searchErrorFromStatus(
  provider: string,
  status: number,
  headers: HttpHeaders,
  message: string,
  overrides: { kind?: UpstreamFailureKind; retryAfterMs?: number | null; quotaKind?: QuotaKind | null } = {},
): SearchError {
  let kind: UpstreamFailureKind = classifyUpstreamStatus(status, '')
  let quotaKind: QuotaKind | null = kind === 'rate_limit' ? 'minute' : null
  if (NO_CREDITS_PATTERN.test(message)) kind = 'billing'
  else if (QUOTA_STATUSES.has(status) || (kind === 'rate_limit' && QUOTA_PATTERN.test(message))) {
    kind = 'quota'
    quotaKind = 'unknown'
  }
  return new SearchError(`${provider} answered ${status}: ${message}`, {
    provider,
    kind: overrides.kind ?? kind,
    upstreamStatus: status,
    retryAfterMs: overrides.retryAfterMs === undefined ? retryAfterMs(headers) : overrides.retryAfterMs,
    quotaKind: overrides.quotaKind === undefined ? quotaKind : overrides.quotaKind,
  })
}
