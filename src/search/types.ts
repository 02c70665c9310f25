import { type QuotaKind, UpstreamError, type UpstreamFailureKind } from '../errors.js'

// The web-search layer the ENRICH route uses: one adapter per search API (pure translation plus one
// HTTP call), tried in order by searchWithFallback, whose results are fenced as untrusted data.

/** One web result, cleaned: plain text (no HTML), an http(s) URL, the date as the API gave it. */
export interface SearchResult {
  title: string
  url: string
  snippet: string
  /** As the API states it: ISO date, "2024-05-01", "3 days ago"… Absent when unknown. */
  date?: string
}

export interface SearchOptions {
  maxResults: number
  /** Null for keyless APIs (SearXNG). */
  apiKey: string | null
  /** Overrides the API's default base URL (a gateway, a self-hosted SearXNG, a test fake). */
  baseUrl: string | null
  /** Whole-call budget: connect, first byte and body. */
  timeoutMs: number
}

/**
 * A search adapter makes one HTTP call. It never retries, falls back, reads a clock or logs bodies:
 * it resolves with at most `maxResults` results (possibly none) or rejects with a SearchError.
 */
export interface SearchAdapter {
  search(query: string, options: SearchOptions, signal: AbortSignal): Promise<SearchResult[]>
}

/**
 * A failed search call. `kind` says why (auth, rate_limit, quota, timeout…), `upstreamStatus` is the
 * API's HTTP status, `retryable` whether the same query may work with another key, provider or later.
 */
export class SearchError extends UpstreamError {
  readonly provider: string

  constructor(
    message: string,
    options: {
      provider: string
      kind: UpstreamFailureKind
      upstreamStatus?: number | null
      retryAfterMs?: number | null
      quotaKind?: QuotaKind | null
      cause?: unknown
    },
  ) {
    super(message, options)
    this.provider = options.provider
  }
}

/** One try of one provider with one key, as searchWithFallback saw it. */
export interface SearchAttempt {
  provider: string
  /** Which of the provider's keys (0-based); 0 for keyless providers. */
  keyIndex: number
  /** `empty`: the call worked but found nothing. */
  outcome: UpstreamFailureKind | 'empty'
  upstreamStatus: number | null
  message: string
}

/** Why enrichment goes ahead without results (`x-smartsplit-enrich: skipped`). */
export type SearchSkipReason = 'not_configured' | 'empty_query' | 'no_results' | 'failed'

export type SearchOutcome =
  | { results: SearchResult[]; provider: string; attempts: SearchAttempt[] }
  | { results: []; provider: null; reason: SearchSkipReason; attempts: SearchAttempt[] }
