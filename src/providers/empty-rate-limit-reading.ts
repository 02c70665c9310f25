import type { RateLimitReading } from '../wire/rate-limit-reading.js'

/** What a provider that sends no rate-limit headers (Gemini) tells us: nothing. */
export const EMPTY_RATE_LIMIT_READING: RateLimitReading = Object.freeze({
  requestsLimit: null,
  requestsRemaining: null,
  requestsResetMs: null,
  tokensLimit: null,
  tokensRemaining: null,
  tokensResetMs: null,
  requestsWindow: null,
  tokensWindow: null,
})
