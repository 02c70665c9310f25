import { type HttpHeaders, headerValue } from '../http-headers.js'
import { parseResetMs } from '../parse-duration.js'
import type { RateLimitReading } from '../rate-limit-reading.js'

function numberOrNull(value: string | undefined): number | null {
  if (value === undefined) return null
  const first = value.split(',')[0]!.trim()
  const parsed = Number(first)
  return first !== '' && Number.isFinite(parsed) ? parsed : null
}

/**
 * Reads the rate-limit headers of the OpenAI-compatible family:
 * - OpenAI/Groq: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, Go durations. Groq's request
 *   limit is per day and its token limit per minute.
 * - Cerebras: `x-ratelimit-*-requests-day` and `*-tokens-minute`, float seconds.
 * - OpenRouter: `X-RateLimit-{Limit,Remaining,Reset}` with the reset in epoch ms.
 */
export function readOpenAIRateLimits(
  headers: HttpHeaders,
  nowMs: number,
  provider: string,
): RateLimitReading {
  const get = (name: string): string | undefined => headerValue(headers, name)
  const cerebrasStyle = get('x-ratelimit-limit-requests-day') !== undefined
  if (cerebrasStyle) {
    return {
      requestsLimit: numberOrNull(get('x-ratelimit-limit-requests-day')),
      requestsRemaining: numberOrNull(get('x-ratelimit-remaining-requests-day')),
      requestsResetMs: parseResetMs(get('x-ratelimit-reset-requests-day'), nowMs),
      tokensLimit: numberOrNull(get('x-ratelimit-limit-tokens-minute')),
      tokensRemaining: numberOrNull(get('x-ratelimit-remaining-tokens-minute')),
      tokensResetMs: parseResetMs(get('x-ratelimit-reset-tokens-minute'), nowMs),
      requestsWindow: 'day',
      tokensWindow: 'minute',
    }
  }
  const generic = get('x-ratelimit-limit') !== undefined && get('x-ratelimit-limit-requests') === undefined
  if (generic) {
    return {
      requestsLimit: numberOrNull(get('x-ratelimit-limit')),
      requestsRemaining: numberOrNull(get('x-ratelimit-remaining')),
      requestsResetMs: parseResetMs(get('x-ratelimit-reset'), nowMs),
      tokensLimit: null,
      tokensRemaining: null,
      tokensResetMs: null,
      requestsWindow: 'minute',
      tokensWindow: null,
    }
  }
  return {
    requestsLimit: numberOrNull(get('x-ratelimit-limit-requests')),
    requestsRemaining: numberOrNull(get('x-ratelimit-remaining-requests')),
    requestsResetMs: parseResetMs(get('x-ratelimit-reset-requests'), nowMs),
    tokensLimit: numberOrNull(get('x-ratelimit-limit-tokens')),
    tokensRemaining: numberOrNull(get('x-ratelimit-remaining-tokens')),
    tokensResetMs: parseResetMs(get('x-ratelimit-reset-tokens'), nowMs),
    requestsWindow:
      provider === 'groq' ? 'day' : get('x-ratelimit-limit-requests') === undefined ? null : 'minute',
    tokensWindow: get('x-ratelimit-limit-tokens') === undefined ? null : 'minute',
  }
}
