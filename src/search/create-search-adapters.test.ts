import { beforeAll, describe, expect, it } from 'vitest'
import type { FakeSearch, SearchApi } from '../../test/fakes/fake-search.js'
import { useFakeSearchServer } from '../../test/support/use-fake-search.js'
import { createSearchAdapters } from './create-search-adapters.js'
import { SearchError, type SearchOptions } from './types.js'

// The contract every search adapter keeps, checked against the fake for all four APIs at once.

const server = useFakeSearchServer()
let fake: FakeSearch
let adapters: ReturnType<typeof createSearchAdapters>

beforeAll(() => {
  fake = server.fake
  adapters = createSearchAdapters(server.dispatcher)
})

const KEYS: Record<SearchApi, string | null> = {
  serper: 'serper-key',
  tavily: 'tvly-test-key',
  brave: 'brave-key',
  searxng: null,
}
const APIS = Object.keys(KEYS) as SearchApi[]

const options = (api: SearchApi, extra: Partial<SearchOptions> = {}): SearchOptions => ({
  maxResults: 5,
  apiKey: KEYS[api],
  baseUrl: fake.baseUrls[api],
  timeoutMs: 2_000,
  ...extra,
})

async function failure(
  api: SearchApi,
  extra: Partial<SearchOptions> = {},
  signal = new AbortController().signal,
) {
  const error = await adapters
    .get(api)!
    .search('go release', options(api, extra), signal)
    .catch((e: unknown) => e)
  expect(error).toBeInstanceOf(SearchError)
  return error as SearchError
}

describe.each(APIS)('%s adapter contract', (api) => {
  it('returns cleaned results', async () => {
    const results = await adapters.get(api)!.search('go release', options(api), new AbortController().signal)
    expect(results.length).toBeGreaterThan(0)
    expect(results[0]?.snippet).toContain('latest release & arrives')
  })

  it('turns a 500 into a retryable overloaded error', async () => {
    fake.script(api, { kind: 'error', status: 500 })
    expect(await failure(api)).toMatchObject({
      provider: api,
      kind: 'overloaded',
      upstreamStatus: 500,
      retryable: true,
    })
  })

  it('turns a non-JSON 200 into malformed', async () => {
    fake.script(api, { kind: 'malformed' })
    expect(await failure(api)).toMatchObject({ kind: 'malformed' })
  })

  it('gives up on a server that never answers after timeoutMs', async () => {
    fake.script(api, { kind: 'stall' })
    const started = performance.now()
    expect(await failure(api, { timeoutMs: 150 })).toMatchObject({ kind: 'timeout' })
    expect(performance.now() - started).toBeLessThan(1_500)
    await expect.poll(() => fake.requestsTo(api)[0]?.aborted).toBe(true)
  })

  it('gives up on a body that stops halfway', async () => {
    fake.script(api, { kind: 'stall_body' })
    expect(await failure(api, { timeoutMs: 150 })).toMatchObject({ kind: 'timeout' })
  })

  it('reports a refused connection as a network error', async () => {
    expect(await failure(api, { baseUrl: 'http://127.0.0.1:1' })).toMatchObject({ kind: 'network' })
  })

  it('stops when the caller aborts', async () => {
    fake.script(api, { kind: 'stall' })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    await failure(api, { timeoutMs: 5_000 }, controller.signal)
    await expect.poll(() => fake.requestsTo(api)[0]?.aborted).toBe(true)
  })
})
