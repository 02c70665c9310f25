import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { keepTopResults } from './keep-top-results.js'
import { readErrorMessage } from './read-error-message.js'
import { requestSearchApi } from './request-search-api.js'
import { searchErrorFromStatus } from './search-error-from-status.js'
import { toSearchResult } from './to-search-result.js'
import { type SearchAdapter, SearchError, type SearchResult } from './types.js'

const PROVIDER = 'tavily'
const DEFAULT_BASE_URL = 'https://api.tavily.com'
// Tavily accepts max_results from 0 to 20.
const MAX_RESULTS_LIMIT = 20

const ResponseSchema = z.object({ results: z.array(z.unknown()) })
const ResultSchema = z.object({
  title: z.string().nullish(),
  url: z.string(),
  content: z.string().nullish(),
  published_date: z.string().nullish(),
})
// FastAPI-style errors: {"detail":{"error":"…"}}, or {"detail":"…"} from the framework itself.
const ErrorSchema = z.object({
  detail: z.union([z.object({ error: z.string() }), z.string()]),
})

function toResults(json: unknown, maxResults: number): SearchResult[] {
  const response = ResponseSchema.safeParse(json)
  if (!response.success) {
    throw new SearchError(`${PROVIDER} answered JSON without "results"`, {
      provider: PROVIDER,
      kind: 'malformed',
    })
  }
  const candidates: (SearchResult | null)[] = []
  for (const item of response.data.results) {
    const hit = ResultSchema.safeParse(item)
    if (hit.success)
      candidates.push(
        toSearchResult({
          title: hit.data.title,
          url: hit.data.url,
          snippet: hit.data.content,
          date: hit.data.published_date,
        }),
      )
  }
  return keepTopResults(candidates, maxResults)
}

/** Tavily: POST {base}/search with Authorization: Bearer; `content` is the extracted snippet. */
export function createTavilyAdapter(dispatcher: Dispatcher): SearchAdapter {
  return {
    async search(query, options, signal) {
      const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '')
      const json = await requestSearchApi(
        {
          provider: PROVIDER,
          method: 'POST',
          url: `${baseUrl}/search`,
          headers: { accept: 'application/json', authorization: `Bearer ${options.apiKey ?? ''}` },
          body: {
            query,
            search_depth: 'basic',
            topic: 'general',
            max_results: Math.min(Math.max(options.maxResults, 1), MAX_RESULTS_LIMIT),
            include_answer: false,
            include_raw_content: false,
            include_images: false,
          },
          apiKey: options.apiKey,
          timeoutMs: options.timeoutMs,
          parseError: (status, headers, text) =>
            searchErrorFromStatus(
              PROVIDER,
              status,
              headers,
              readErrorMessage(text, (body) => {
                const error = ErrorSchema.safeParse(body)
                if (!error.success) return undefined
                return typeof error.data.detail === 'string' ? error.data.detail : error.data.detail.error
              }),
            ),
        },
        signal,
        dispatcher,
      )
      return toResults(json, options.maxResults)
    },
  }
}
