/** Rate-limit facts read from one upstream response's headers; null where the provider said nothing. */
export interface RateLimitReading {
  requestsLimit: number | null
  requestsRemaining: number | null
  requestsResetMs: number | null
  tokensLimit: number | null
  tokensRemaining: number | null
  tokensResetMs: number | null
  /** Which window the request figures describe, when the provider says (Groq's request limit is per day). */
  requestsWindow: 'minute' | 'day' | null
  tokensWindow: 'minute' | 'day' | null
}
