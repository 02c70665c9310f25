import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  braveBody,
  braveError,
  type FakeHit,
  type SearchApi,
  searxngBody,
  serperBody,
  serperError,
  tavilyBody,
  tavilyError,
} from './fake-search-responses.js'

// How the fake search server answers, API by API: auth rejections, scripted errors and result pages.

export type KeyedApi = Exclude<SearchApi, 'searxng'>

export type FakeSearchBehavior =
  | { kind: 'results'; hits?: readonly FakeHit[]; answerBox?: unknown; knowledgeGraph?: unknown }
  /** The API's own error body; for Brave 429, `window` says which limit ran out. */
  | { kind: 'error'; status: number; message?: string; window?: 'second' | 'month' }
  /** Never answers: the caller's timeout must fire. */
  | { kind: 'stall' }
  /** Sends the status line and part of the body, then nothing. */
  | { kind: 'stall_body' }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' }

export interface FakeSearchRequest {
  api: SearchApi
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingMessage['headers']
  body: unknown
  /** True when the caller went away before the response was complete. */
  aborted: boolean
}

const BRAVE_MONTHLY_LIMIT = 15_000

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

export function sendHtml(res: ServerResponse, status: number, title: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
  res.end(
    `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1></body></html>`,
  )
}

/** Brave states each limit as a pair: per second, then per month. */
function braveLimitHeaders(remainingPerSecond: number, remainingPerMonth: number): Record<string, string> {
  return {
    'x-ratelimit-limit': `1, ${BRAVE_MONTHLY_LIMIT}`,
    'x-ratelimit-policy': `1;w=1, ${BRAVE_MONTHLY_LIMIT};w=2592000`,
    'x-ratelimit-remaining': `${remainingPerSecond}, ${remainingPerMonth}`,
    'x-ratelimit-reset': '1, 1419000',
  }
}

/** The API's own answer to a missing or wrong key; false when the key is accepted (or none is needed). */
export function rejectUnauthorized(
  api: SearchApi,
  req: IncomingMessage,
  body: unknown,
  keys: Record<KeyedApi, string[]>,
  res: ServerResponse,
): boolean {
  switch (api) {
    case 'serper': {
      const key = req.headers['x-api-key']
      if (typeof key === 'string' && keys.serper.includes(key)) return false
      sendJson(res, 403, serperError(403))
      return true
    }
    case 'tavily': {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
      // The legacy form puts the key in the body.
      const legacy = (body as { api_key?: unknown } | null)?.api_key
      const key = bearer ?? (typeof legacy === 'string' ? legacy : undefined)
      if (key !== undefined && keys.tavily.includes(key)) return false
      sendJson(res, 401, tavilyError(401))
      return true
    }
    case 'brave': {
      const key = req.headers['x-subscription-token']
      if (typeof key === 'string' && keys.brave.includes(key)) return false
      // Brave answers a wrong token with 422, not 401.
      const detail = 'The provided subscription token is invalid.'
      sendJson(res, 422, braveError(422, 'SUBSCRIPTION_TOKEN_INVALID', detail), braveLimitHeaders(1, 14_000))
      return true
    }
    case 'searxng':
      return false
  }
}

/** The answer to a request without a query, in the API's words. */
export function rejectMissingQuery(api: SearchApi, res: ServerResponse): void {
  if (api === 'serper') sendJson(res, 400, serperError(400, 'Missing query parameter'))
  else if (api === 'tavily') sendJson(res, 400, tavilyError(400))
  else if (api === 'brave')
    sendJson(res, 422, braveError(422, 'VALIDATION', 'Unable to validate request parameter(s)'))
  else sendHtml(res, 400, 'Bad Request')
}

export function respondWithError(
  api: SearchApi,
  res: ServerResponse,
  behavior: Extract<FakeSearchBehavior, { kind: 'error' }>,
): void {
  const { status, message } = behavior
  if (api === 'serper') sendJson(res, status, serperError(status, message))
  else if (api === 'tavily') sendJson(res, status, tavilyError(status, message))
  else if (api === 'searxng')
    sendHtml(res, status, message ?? (status === 429 ? 'Too Many Requests' : 'Internal Server Error'))
  else {
    const isMonthly = behavior.window === 'month'
    const code =
      status === 429
        ? isMonthly
          ? 'QUOTA_LIMITED'
          : 'RATE_LIMITED'
        : status < 500
          ? 'SUBSCRIPTION_TOKEN_INVALID'
          : 'INTERNAL_ERROR'
    const detail =
      message ?? (status === 429 ? 'Request rate limit exceeded for plan.' : 'Something went wrong.')
    const headers =
      status === 429
        ? braveLimitHeaders(isMonthly ? 1 : 0, isMonthly ? 0 : 14_000)
        : braveLimitHeaders(1, 14_000)
    sendJson(res, status, braveError(status, code, detail), headers)
  }
}

export function respondWithResults(
  api: SearchApi,
  res: ServerResponse,
  recorded: FakeSearchRequest,
  behavior: Extract<FakeSearchBehavior, { kind: 'results' }>,
  fallbackHits: readonly FakeHit[],
): void {
  const hits = behavior.hits ?? fallbackHits
  const body = (recorded.body ?? {}) as Record<string, unknown>
  if (api === 'serper') {
    const num = typeof body.num === 'number' ? body.num : 10
    sendJson(res, 200, serperBody(String(body.q), num, hits, behavior))
  } else if (api === 'tavily') {
    const maxResults = typeof body.max_results === 'number' ? body.max_results : 5
    sendJson(res, 200, tavilyBody(String(body.query), maxResults, hits))
  } else if (api === 'brave') {
    const count = Number(recorded.query.count ?? 20)
    const isDecorated = recorded.query.text_decorations !== 'false'
    const page = braveBody(recorded.query.q ?? '', count, hits, isDecorated)
    sendJson(res, 200, page, braveLimitHeaders(0, 14_999))
  } else {
    sendJson(res, 200, searxngBody(recorded.query.q ?? '', hits))
  }
}
