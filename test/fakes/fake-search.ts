import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import {
  type FakeSearchBehavior,
  type FakeSearchRequest,
  type KeyedApi,
  rejectMissingQuery,
  rejectUnauthorized,
  respondWithError,
  respondWithResults,
  sendHtml,
  sendJson,
} from './fake-search-respond.js'
import {
  DEFAULT_HITS,
  type FakeHit,
  type SearchApi,
  serperError,
  tavilyError,
} from './fake-search-responses.js'

// One fake for the four search APIs the ENRICH route uses, each under its own path prefix so a base URL
// override points an adapter at it: {url}/serper (POST /search, X-API-KEY), {url}/tavily (POST /search,
// Bearer), {url}/brave/res/v1 (GET /web/search, X-Subscription-Token, X-RateLimit-* on every answer) and
// {url}/searxng (GET /search?format=json, keyless). Auth is checked as the real APIs do, every request is
// recorded, and each API plays scripted behaviors (results, errors, stalls) in order, then its default.

export type { FakeSearchBehavior, FakeSearchRequest } from './fake-search-respond.js'
export type { FakeHit, SearchApi } from './fake-search-responses.js'
export { DEFAULT_HITS, INJECTION_HITS, INJECTION_TEXT } from './fake-search-responses.js'

export interface FakeSearch {
  url: string
  /** Base URLs to put in SearchProviderConfig.baseUrl / SearchOptions.baseUrl. */
  baseUrls: Record<SearchApi, string>
  /** Keys each keyed API accepts. */
  keys: Record<KeyedApi, string[]>
  requests: FakeSearchRequest[]
  queue: Record<SearchApi, FakeSearchBehavior[]>
  defaults: Record<SearchApi, FakeSearchBehavior>
  /** Queues behaviors for the next requests to `api` (authorized ones; auth failures consume nothing). */
  script(api: SearchApi, ...behaviors: FakeSearchBehavior[]): void
  requestsTo(api: SearchApi): FakeSearchRequest[]
  openConnections(): number
  close(): Promise<void>
}

export interface FakeSearchOptions {
  keys?: Partial<Record<KeyedApi, string[]>>
  hits?: readonly FakeHit[]
  /** SearXNG answers 403 to format=json unless settings.yml enables it. */
  isSearxngJsonEnabled?: boolean
}

const ROUTES: Readonly<Record<string, { api: SearchApi; method: string }>> = {
  '/serper/search': { api: 'serper', method: 'POST' },
  '/tavily/search': { api: 'tavily', method: 'POST' },
  '/brave/res/v1/web/search': { api: 'brave', method: 'GET' },
  '/searxng/search': { api: 'searxng', method: 'GET' },
}
export async function startFakeSearch(options: FakeSearchOptions = {}): Promise<FakeSearch> {
  const sockets = new Set<Socket>()
  const hits = options.hits ?? DEFAULT_HITS
  const fake: FakeSearch = {
    url: '',
    baseUrls: { serper: '', tavily: '', brave: '', searxng: '' },
    keys: {
      serper: options.keys?.serper ?? ['serper-key'],
      tavily: options.keys?.tavily ?? ['tvly-test-key'],
      brave: options.keys?.brave ?? ['brave-key'],
    },
    requests: [],
    queue: { serper: [], tavily: [], brave: [], searxng: [] },
    defaults: {
      serper: { kind: 'results' },
      tavily: { kind: 'results' },
      brave: { kind: 'results' },
      searxng: { kind: 'results' },
    },
    script: (api, ...behaviors) => {
      fake.queue[api].push(...behaviors)
    },
    requestsTo: (api) => fake.requests.filter((request) => request.api === api),
    openConnections: () => [...sockets].filter((socket) => !socket.destroyed).length,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://fake')
    const route = ROUTES[url.pathname]
    if (route === undefined || route.method !== req.method) {
      sendJson(res, 404, { message: `Unknown route ${req.method} ${url.pathname}`, statusCode: 404 })
      return
    }
    const { api } = route
    let body: unknown = null
    if (req.method === 'POST') {
      try {
        body = JSON.parse(raw)
      } catch {
        if (api === 'serper') sendJson(res, 400, serperError(400, 'Invalid JSON body'))
        else sendJson(res, 400, tavilyError(400, 'Invalid JSON body'))
        return
      }
    }
    const recorded: FakeSearchRequest = {
      api,
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      aborted: false,
    }
    fake.requests.push(recorded)
    res.on('close', () => {
      if (!res.writableFinished) recorded.aborted = true
    })

    if (rejectUnauthorized(api, req, body, fake.keys, res)) return
    if (
      api === 'searxng' &&
      (url.searchParams.get('format') !== 'json' || options.isSearxngJsonEnabled === false)
    ) {
      sendHtml(res, 403, 'Forbidden')
      return
    }
    const query =
      api === 'serper'
        ? (body as { q?: unknown }).q
        : api === 'tavily'
          ? (body as { query?: unknown }).query
          : url.searchParams.get('q')
    if (typeof query !== 'string' || query.trim() === '') {
      rejectMissingQuery(api, res)
      return
    }

    const behavior = fake.queue[api].shift() ?? fake.defaults[api]
    switch (behavior.kind) {
      case 'results':
        respondWithResults(api, res, recorded, behavior, hits)
        return
      case 'error':
        respondWithError(api, res, behavior)
        return
      case 'stall':
        return
      case 'stall_body':
        res.writeHead(200, { 'content-type': 'application/json' })
        res.write('{"results":[')
        return
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('<html>upstream proxy error</html>')
        return
    }
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  fake.url = `http://127.0.0.1:${port}`
  fake.baseUrls = {
    serper: `${fake.url}/serper`,
    tavily: `${fake.url}/tavily`,
    brave: `${fake.url}/brave/res/v1`,
    searxng: `${fake.url}/searxng`,
  }
  return fake
}
