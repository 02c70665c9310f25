import { beforeAll, describe, expect, it } from 'vitest'
import type { FakeSearch, SearchApi } from '../../test/fakes/fake-search.js'
import { useFakeSearchServer } from '../../test/support/use-fake-search.js'
import type { SearchProviderConfig } from '../config/types.js'
import { ClientGoneError } from '../lib/abort.js'
import { createSearchAdapters } from './create-search-adapters.js'
import { searchWithFallback } from './search-with-fallback.js'
import type { SearchAdapter } from './types.js'

const server = useFakeSearchServer()
let fake: FakeSearch
let adapters: ReadonlyMap<string, SearchAdapter>

beforeAll(() => {
  fake = server.fake
  adapters = createSearchAdapters(server.dispatcher)
})

const provider = (name: SearchApi, apiKeys: string[], maxResults = 5): SearchProviderConfig => ({
  name,
  apiKeys,
  baseUrl: fake.baseUrls[name],
  maxResults,
})
const live = () => new AbortController().signal

describe('searchWithFallback', () => {
  it('answers from the first provider that works', async () => {
    const outcome = await searchWithFallback(
      [provider('serper', ['serper-key']), provider('tavily', ['tvly-test-key'])],
      adapters,
      'latest Go release',
      live(),
      2_000,
    )
    expect(outcome.provider).toBe('serper')
    expect(outcome.results).toHaveLength(3)
    expect(outcome.attempts).toEqual([])
    expect(fake.requestsTo('tavily')).toHaveLength(0)
  })

  it('tries the next key after an auth or rate-limit failure', async () => {
    fake.script('serper', { kind: 'error', status: 429 })
    const outcome = await searchWithFallback(
      [provider('serper', ['bad-key-0000000', 'serper-key', 'serper-key'])],
      adapters,
      'q',
      live(),
      2_000,
    )
    expect(outcome.provider).toBe('serper')
    expect(outcome.attempts.map((a) => [a.keyIndex, a.outcome, a.upstreamStatus])).toEqual([
      [0, 'auth', 403],
      [1, 'rate_limit', 429],
    ])
    expect(fake.requestsTo('serper').map((r) => r.headers['x-api-key'])).toEqual([
      'bad-key-0000000',
      'serper-key',
      'serper-key',
    ])
  })

  it('skips the other keys of a provider that is down and moves to the next provider', async () => {
    fake.script('tavily', { kind: 'error', status: 500 })
    fake.script('brave', { kind: 'stall' })
    const started = performance.now()
    const outcome = await searchWithFallback(
      [
        provider('tavily', ['tvly-test-key', 'tvly-test-key']),
        provider('brave', ['brave-key', 'brave-key']),
        { name: 'searxng', apiKeys: [], baseUrl: fake.baseUrls.searxng, maxResults: 2 },
      ],
      adapters,
      'q',
      live(),
      200,
    )
    expect(outcome.provider).toBe('searxng')
    expect(outcome.results).toHaveLength(2)
    expect(outcome.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['tavily', 'overloaded'],
      ['brave', 'timeout'],
    ])
    expect(fake.requestsTo('tavily')).toHaveLength(1)
    expect(fake.requestsTo('brave')).toHaveLength(1)
    expect(performance.now() - started).toBeLessThan(2_000)
  })

  it('moves on from a provider that finds nothing, and says "no_results" when none does', async () => {
    fake.script('serper', { kind: 'results', hits: [] })
    const found = await searchWithFallback(
      [provider('serper', ['serper-key', 'serper-key']), provider('tavily', ['tvly-test-key'])],
      adapters,
      'q',
      live(),
      2_000,
    )
    expect(found.provider).toBe('tavily')
    expect(fake.requestsTo('serper')).toHaveLength(1)

    fake.script('serper', { kind: 'results', hits: [] })
    fake.script('tavily', { kind: 'results', hits: [] })
    const empty = await searchWithFallback(
      [provider('serper', ['serper-key']), provider('tavily', ['tvly-test-key'])],
      adapters,
      'q',
      live(),
      2_000,
    )
    expect(empty).toMatchObject({ results: [], provider: null, reason: 'no_results' })
  })

  it('never throws when every provider fails: the caller answers without search', async () => {
    fake.script('serper', { kind: 'error', status: 500 })
    fake.script('tavily', { kind: 'malformed' })
    const outcome = await searchWithFallback(
      [
        provider('serper', ['serper-key']),
        provider('tavily', ['tvly-test-key']),
        provider('brave', ['wrong']),
        { name: 'searxng', apiKeys: [], baseUrl: 'http://127.0.0.1:1', maxResults: 5 },
      ],
      adapters,
      'q',
      live(),
      2_000,
    )
    expect(outcome).toMatchObject({ results: [], provider: null, reason: 'failed' })
    expect(outcome.attempts.map((a) => a.outcome)).toEqual(['overloaded', 'malformed', 'auth', 'network'])
  })

  it('degrades on an adapter bug or a provider without adapter', async () => {
    const broken: SearchAdapter = {
      search: async () => {
        throw new TypeError('boom')
      },
    }
    const outcome = await searchWithFallback(
      [provider('serper', ['k']), { name: 'bing', apiKeys: ['k'], baseUrl: null, maxResults: 5 }],
      new Map([['serper', broken]]),
      'q',
      live(),
      2_000,
    )
    expect(outcome).toMatchObject({ provider: null, reason: 'failed' })
    expect(outcome.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['serper', 'malformed'],
      ['bing', 'malformed'],
    ])
  })

  it('skips without a call when nothing is configured or the query is empty', async () => {
    const none = await searchWithFallback([], adapters, 'q', live(), 2_000)
    expect(none).toMatchObject({ results: [], provider: null, reason: 'not_configured' })
    const blank = await searchWithFallback(
      [provider('serper', ['serper-key'])],
      adapters,
      '  ',
      live(),
      2_000,
    )
    expect(blank).toMatchObject({ provider: null, reason: 'empty_query' })
    expect(fake.requests).toHaveLength(0)
  })

  it('throws ClientGoneError when the client leaves mid-search, and stops calling', async () => {
    fake.script('serper', { kind: 'stall' })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    await expect(
      searchWithFallback(
        [provider('serper', ['serper-key']), provider('tavily', ['tvly-test-key'])],
        adapters,
        'q',
        controller.signal,
        5_000,
      ),
    ).rejects.toBeInstanceOf(ClientGoneError)
    expect(fake.requestsTo('tavily')).toHaveLength(0)
  })
})
