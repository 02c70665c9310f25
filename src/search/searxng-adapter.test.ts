import { describe, expect, it } from 'vitest'
import { startFakeSearch } from '../../test/fakes/fake-search.js'
import { useFakeSearch } from '../../test/support/use-fake-search.js'
import { createSearxngAdapter } from './searxng-adapter.js'
import type { SearchError } from './types.js'

const search = useFakeSearch('searxng', { maxResults: 2, apiKey: null, baseUrlSuffix: '/' })
const { options, signal } = search

describe('createSearxngAdapter', () => {
  it('GETs {base_url}/search?q=…&format=json without a key and keeps maxResults', async () => {
    const results = await createSearxngAdapter(search.dispatcher).search('go release', options(), signal)
    const [request] = search.fake.requestsTo('searxng')
    expect(request?.path).toBe('/searxng/search')
    expect(request?.query).toMatchObject({ q: 'go release', format: 'json' })
    expect(request?.headers.authorization).toBeUndefined()
    expect(results.map((result) => result.url)).toEqual([
      'https://go.dev/doc/go1.23',
      'https://go.dev/doc/devel/release',
    ])
    expect(results[0]?.date).toBe('2024-08-13')
    expect(results[1]).not.toHaveProperty('date')
  })

  it('merges duplicate URLs from several engines', async () => {
    const hit = { title: 'Same', url: 'https://example.com/a', snippet: 'one' }
    search.fake.script('searxng', {
      kind: 'results',
      hits: [hit, { ...hit, snippet: 'two' }, { ...hit, url: 'https://example.com/b' }],
    })
    const results = await createSearxngAdapter(search.dispatcher).search('q', options(), signal)
    expect(results.map((result) => result.url)).toEqual(['https://example.com/a', 'https://example.com/b'])
  })

  it('explains the 403 of an instance without the json format', async () => {
    const strict = await startFakeSearch({ isSearxngJsonEnabled: false })
    try {
      const error = (await createSearxngAdapter(search.dispatcher)
        .search('q', options({ baseUrl: strict.baseUrls.searxng }), signal)
        .catch((e: unknown) => e)) as SearchError
      expect(error).toMatchObject({ provider: 'searxng', kind: 'auth', upstreamStatus: 403 })
      expect(error.message).toContain('search.formats')
    } finally {
      await strict.close()
    }
  })

  it('needs a base URL', async () => {
    const error = (await createSearxngAdapter(search.dispatcher)
      .search('q', options({ baseUrl: null }), signal)
      .catch((e: unknown) => e)) as SearchError
    expect(error).toMatchObject({ kind: 'bad_request' })
    expect(search.fake.requests).toHaveLength(0)
  })
})
