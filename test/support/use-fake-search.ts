import { Agent } from 'undici'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { SearchOptions } from '../../src/search/types.js'
import { type FakeSearch, type SearchApi, startFakeSearch } from '../fakes/fake-search.js'

/**
 * One fake search server (all four APIs) and one connection pool for the test file; after each test the
 * recorded requests and every API's queued answers are cleared.
 */
export function useFakeSearchServer() {
  let fake: FakeSearch | undefined
  let dispatcher: Agent | undefined
  beforeAll(async () => {
    fake = await startFakeSearch()
    dispatcher = new Agent()
  })
  afterAll(async () => {
    await dispatcher?.close()
    await fake?.close()
  })
  afterEach(() => {
    if (fake === undefined) return
    fake.requests.length = 0
    for (const api of Object.keys(fake.queue) as SearchApi[]) fake.queue[api].length = 0
  })
  return {
    get fake(): FakeSearch {
      return fake!
    },
    get dispatcher(): Agent {
      return dispatcher!
    },
  }
}

/** The setup of one search adapter's tests: the shared server, and options pointing at that API. */
export function useFakeSearch(
  api: SearchApi,
  defaults: { maxResults: number; apiKey: string | null; baseUrlSuffix?: string },
) {
  const server = useFakeSearchServer()
  return {
    get fake(): FakeSearch {
      return server.fake
    },
    get dispatcher(): Agent {
      return server.dispatcher
    },
    signal: new AbortController().signal,
    options: (extra: Partial<SearchOptions> = {}): SearchOptions => ({
      maxResults: defaults.maxResults,
      apiKey: defaults.apiKey,
      baseUrl: `${server.fake.baseUrls[api]}${defaults.baseUrlSuffix ?? ''}`,
      timeoutMs: 2_000,
      ...extra,
    }),
  }
}
