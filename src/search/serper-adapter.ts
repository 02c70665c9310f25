import type { Dispatcher } from 'undici'
import { z } from 'zod'
import { keepTopResults } from './keep-top-results.js'
import { readErrorMessage } from './read-error-message.js'
import { requestSearchApi } from './request-search-api.js'
import { searchErrorFromStatus } from './search-error-from-status.js'
import { toSearchResult } from './to-search-result.js'
import { type SearchAdapter, SearchError, type SearchResult } from './types.js'

const PROVIDER = 'serper'
const DEFAULT_BASE_URL = 'https://google.serper.dev'

const ResponseSchema = z.object({
  organic: z.array(z.unknown()).optional(),
  answerBox: z.unknown().optional(),
  knowledgeGraph: z.unknown().optional(),
})
const OrganicSchema = z.object({
  title: z.string().optional(),
  link: z.string(),
  snippet: z.string().optional(),
  date: z.string().optional(),
})
const AnswerBoxSchema = z.object({
  title: z.string().optional(),
  answer: z.string().optional(),
  snippet: z.string().optional(),
  link: z.string().optional(),
  date: z.string().optional(),
})
const KnowledgeGraphSchema = z.object({
  title: z.string().optional(),
  type: z.string().optional(),
  description: z.string().optional(),
  descriptionLink: z.string().optional(),
  website: z.string().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
})
// Serper's errors: {"message":"Unauthorized.","statusCode":403}
const ErrorSchema = z.object({ message: z.string() })

/** The answer box is Google's direct answer; it only counts when it links to a page we can cite. */
function answerBoxResult(value: unknown): SearchResult | null {
  const box = AnswerBoxSchema.safeParse(value)
  if (!box.success) return null
  const snippet = [box.data.answer, box.data.snippet].filter((part) => part !== undefined).join(' — ')
  return toSearchResult({ title: box.data.title, url: box.data.link, snippet, date: box.data.date })
}

/** The knowledge graph panel: its description and attributes ("Founded: 1998") as one snippet. */
function knowledgeGraphResult(value: unknown): SearchResult | null {
  const graph = KnowledgeGraphSchema.safeParse(value)
  if (!graph.success) return null
  const attributes = Object.entries(graph.data.attributes ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, text]) => `${key}: ${text}`)
    .join('; ')
  const snippet = [graph.data.type, graph.data.description, attributes]
    .filter((part) => part !== undefined && part.length > 0)
    .join(' — ')
  const url = graph.data.descriptionLink ?? graph.data.website
  return toSearchResult({ title: graph.data.title, url, snippet })
}

function toResults(json: unknown, maxResults: number): SearchResult[] {
  const response = ResponseSchema.safeParse(json)
  if (!response.success) {
    throw new SearchError(`${PROVIDER} answered JSON that is not a search response`, {
      provider: PROVIDER,
      kind: 'malformed',
    })
  }
  const candidates = [
    answerBoxResult(response.data.answerBox),
    knowledgeGraphResult(response.data.knowledgeGraph),
  ]
  for (const item of response.data.organic ?? []) {
    const organic = OrganicSchema.safeParse(item)
    if (organic.success)
      candidates.push(
        toSearchResult({
          title: organic.data.title,
          url: organic.data.link,
          snippet: organic.data.snippet,
          date: organic.data.date,
        }),
      )
  }
  return keepTopResults(candidates, maxResults)
}

/** Serper (Google results): POST {base}/search with X-API-KEY; no rate-limit headers. */
export function createSerperAdapter(dispatcher: Dispatcher): SearchAdapter {
  return {
    async search(query, options, signal) {
      const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '')
      const json = await requestSearchApi(
        {
          provider: PROVIDER,
          method: 'POST',
          url: `${baseUrl}/search`,
          headers: { accept: 'application/json', 'x-api-key': options.apiKey ?? '' },
          body: { q: query, num: Math.min(Math.max(options.maxResults, 1), 100) },
          apiKey: options.apiKey,
          timeoutMs: options.timeoutMs,
          parseError: (status, headers, text) =>
            searchErrorFromStatus(
              PROVIDER,
              status,
              headers,
              readErrorMessage(text, (body) => {
                const error = ErrorSchema.safeParse(body)
                return error.success ? error.data.message : undefined
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
