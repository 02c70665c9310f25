import { type HttpHeaders, headerValue } from '../http-headers.js'
import type { RateLimitReading } from '../rate-limit-reading.js'
import { msUntilReset } from './ms-until-reset.js'

function readCount(headers: HttpHeaders, name: string): number | null {
  const value = headerValue(headers, name)
  if (value === undefined) return null
  const count = Number(value)
  return Number.isFinite(count) && count >= 0 ? count : null
}

/**
 * Rate-limit facts from `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`. The reset is an
 * RFC 3339 timestamp, turned into ms from `nowMs`. `tokens-*` is Anthropic's most restrictive token
 * window; when a response lacks it, the input-token window stands in. Anthropic's windows are per minute.
 */
export function readAnthropicRateLimits(headers: HttpHeaders, nowMs: number): RateLimitReading {
  const requestsLimit = readCount(headers, 'anthropic-ratelimit-requests-limit')
  const requestsRemaining = readCount(headers, 'anthropic-ratelimit-requests-remaining')
  const requestsResetMs = msUntilReset(headerValue(headers, 'anthropic-ratelimit-requests-reset'), nowMs)
  const tokensPrefix =
    headerValue(headers, 'anthropic-ratelimit-tokens-limit') === undefined &&
    headerValue(headers, 'anthropic-ratelimit-input-tokens-limit') !== undefined
      ? 'anthropic-ratelimit-input-tokens'
      : 'anthropic-ratelimit-tokens'
  const tokensLimit = readCount(headers, `${tokensPrefix}-limit`)
  const tokensRemaining = readCount(headers, `${tokensPrefix}-remaining`)
  const tokensResetMs = msUntilReset(headerValue(headers, `${tokensPrefix}-reset`), nowMs)
  const hasRequestFigures = requestsLimit !== null || requestsRemaining !== null || requestsResetMs !== null
  const hasTokenFigures = tokensLimit !== null || tokensRemaining !== null || tokensResetMs !== null
  return {
    requestsLimit,
    requestsRemaining,
    requestsResetMs,
    tokensLimit,
    tokensRemaining,
    tokensResetMs,
    requestsWindow: hasRequestFigures ? 'minute' : null,
    tokensWindow: hasTokenFigures ? 'minute' : null,
  }
}
