import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { keepTopResults } from './keep-top-results.js'
import { readErrorMessage } from './read-error-message.js'
import { requestSearchApi } from './request-search-api.js'
import { searchErrorFromStatus } from './search-error-from-status.js'
import { toSearchResult } from './to-search-result.js'
import { type SearchAdapter, SearchError, type SearchResult } from './types.js'

const PROVIDER = 'searxng'

const ResponseSchema = z.object({ results: z.array(z.unknown()) })
const ResultSchema = z.object({
  title: z.string().nullish(),
  url: z.string(),
  content: z.string().nullish(),
  publishedDate: z.string().nullish(),
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
          date: hit.data.publishedDate,
        }),
      )
  }
  return keepTopResults(candidates, maxResults)
}

/**
 * A self-hosted SearXNG: GET {base_url}/search?q=…&format=json, keyless. SearXNG answers 403 when the
 * instance does not list `json` under `search.formats` in settings.yml, and 429 from its bot limiter.
 */
export function createSearxngAdapter(dispatcher: Dispatcher): SearchAdapter {
  return {
    async search(query, options, signal) {
      if (options.baseUrl === null) {
        throw new SearchError(`${PROVIDER} needs a base_url (the address of a SearXNG instance)`, {
          provider: PROVIDER,
          kind: 'bad_request',
        })
      }
      const baseUrl = options.baseUrl.replace(/\/+$/, '')
      const params = new URLSearchParams({ q: query, format: 'json', pageno: '1' })
      const json = await requestSearchApi(
        {
          provider: PROVIDER,
          method: 'GET',
          url: `${baseUrl}/search?${params.toString()}`,
          headers: { accept: 'application/json' },
          apiKey: null,
          timeoutMs: options.timeoutMs,
          parseError: (status, headers, text) => {
            const message = readErrorMessage(text, () => undefined)
            return status === 403
              ? searchErrorFromStatus(
                  PROVIDER,
                  status,
                  headers,
                  `${message} (enable "json" under search.formats in the instance's settings.yml)`,
                )
              : searchErrorFromStatus(PROVIDER, status, headers, message)
          },
        },
        signal,
        dispatcher,
      )
      return toResults(json, options.maxResults)
    },
  }
}
