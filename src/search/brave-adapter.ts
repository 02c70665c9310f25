import type { Dispatcher } from 'undici'
import { z } from 'zod'
import type { HttpHeaders } from '../wire/http-headers.js'
import { keepTopResults } from './keep-top-results.js'
import { readBraveRateLimit } from './read-brave-rate-limit.js'
import { readErrorMessage } from './read-error-message.js'
import { requestSearchApi } from './request-search-api.js'
import { searchErrorFromStatus } from './search-error-from-status.js'
import { toSearchResult } from './to-search-result.js'
import { type SearchAdapter, SearchError, type SearchResult } from './types.js'

const PROVIDER = 'brave'
const DEFAULT_BASE_URL = 'https://api.search.brave.com/res/v1'
// Brave accepts count from 1 to 20.
const MAX_RESULTS_LIMIT = 20

// A query without web results (only news or videos) has no "web" at all.
const ResponseSchema = z.object({ web: z.object({ results: z.array(z.unknown()) }).optional() })
const ResultSchema = z.object({
  title: z.string().nullish(),
  url: z.string(),
  description: z.string().nullish(),
  page_age: z.string().nullish(),
  age: z.string().nullish(),
})
// {"type":"ErrorResponse","error":{"id","status","code":"RATE_LIMITED","detail":"…","meta":{…}},"time":…}
const ErrorSchema = z.object({
  error: z.object({ code: z.string().optional(), detail: z.string().optional() }),
})

function toResults(json: unknown, maxResults: number): SearchResult[] {
  const response = ResponseSchema.safeParse(json)
  if (!response.success) {
    throw new SearchError(`${PROVIDER} answered JSON that is not a search response`, {
      provider: PROVIDER,
      kind: 'malformed',
    })
  }
  const candidates: (SearchResult | null)[] = []
  for (const item of response.data.web?.results ?? []) {
    const hit = ResultSchema.safeParse(item)
    if (hit.success)
      candidates.push(
        toSearchResult({
          title: hit.data.title,
          url: hit.data.url,
          snippet: hit.data.description,
          date: hit.data.page_age ?? hit.data.age,
        }),
      )
  }
  return keepTopResults(candidates, maxResults)
}

function parseBraveError(status: number, headers: HttpHeaders, text: string): SearchError {
  let code: string | undefined
  const message = readErrorMessage(text, (body) => {
    const error = ErrorSchema.safeParse(body)
    if (!error.success) return undefined
    code = error.data.error.code
    return [error.data.error.code, error.data.error.detail].filter((part) => part !== undefined).join(': ')
  })
  // Brave answers 422 SUBSCRIPTION_TOKEN_INVALID to a wrong key, and QUOTA_LIMITED once the month is spent.
  if (code === 'SUBSCRIPTION_TOKEN_INVALID') {
    return searchErrorFromStatus(PROVIDER, status, headers, message, { kind: 'auth' })
  }
  const limit = status === 429 ? readBraveRateLimit(headers) : null
  if (code === 'QUOTA_LIMITED') {
    const retryAfterMs = limit?.kind === 'quota' ? limit.retryAfterMs : null
    return searchErrorFromStatus(PROVIDER, status, headers, message, {
      kind: 'quota',
      quotaKind: 'unknown',
      retryAfterMs,
    })
  }
  return searchErrorFromStatus(PROVIDER, status, headers, message, limit ?? {})
}

/** Brave Search: GET {base}/web/search?q=…&count=… with X-Subscription-Token; results in web.results. */
export function createBraveAdapter(dispatcher: Dispatcher): SearchAdapter {
  return {
    async search(query, options, signal) {
      const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '')
      const params = new URLSearchParams({
        q: query,
        count: String(Math.min(Math.max(options.maxResults, 1), MAX_RESULTS_LIMIT)),
        text_decorations: 'false',
        result_filter: 'web',
      })
      const json = await requestSearchApi(
        {
          provider: PROVIDER,
          method: 'GET',
          url: `${baseUrl}/web/search?${params.toString()}`,
          headers: { accept: 'application/json', 'x-subscription-token': options.apiKey ?? '' },
          apiKey: options.apiKey,
          timeoutMs: options.timeoutMs,
          parseError: parseBraveError,
        },
        signal,
        dispatcher,
      )
      return toResults(json, options.maxResults)
    },
  }
}
