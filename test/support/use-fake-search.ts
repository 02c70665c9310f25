import { Agent } from 'undici'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { SearchOptions } from '../../src/search/types.js'
import { type FakeSearch, type SearchApi, startFakeSearch } from '../fakes/fake-search.js'

/**
 * The shared setup of the search adapter tests: one fake search server and one connection pool for the
 * file, the API's queue and the recorded requests cleared after each test, and options pointing at it.
 */
export function useFakeSearch(
  api: SearchApi,
  defaults: { maxResults: number; apiKey: string | null; baseUrlSuffix?: string },
) {
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
    fake.queue[api].length = 0
  })
  return {
    get fake(): FakeSearch {
      return fake!
    },
    get dispatcher(): Agent {
      return dispatcher!
    },
    signal: new AbortController().signal,
    options: (extra: Partial<SearchOptions> = {}): SearchOptions => ({
      maxResults: defaults.maxResults,
      apiKey: defaults.apiKey,
      baseUrl: `${fake!.baseUrls[api]}${defaults.baseUrlSuffix ?? ''}`,
      timeoutMs: 2_000,
      ...extra,
    }),
  }
}
