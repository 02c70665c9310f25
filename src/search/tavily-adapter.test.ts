import { describe, expect, it } from 'vitest'
import { useFakeSearch } from '../../test/support/use-fake-search.js'
import { createTavilyAdapter } from './tavily-adapter.js'
import type { SearchError } from './types.js'

const search = useFakeSearch('tavily', { maxResults: 2, apiKey: 'tvly-test-key' })
const { options, signal } = search

describe('createTavilyAdapter', () => {
  it('POSTs with a Bearer key and maps results[].content to snippets', async () => {
    const results = await createTavilyAdapter(search.dispatcher).search('Go release', options(), signal)
    const [request] = search.fake.requestsTo('tavily')
    expect(request?.headers.authorization).toBe('Bearer tvly-test-key')
    expect(request?.body).toMatchObject({ query: 'Go release', max_results: 2, search_depth: 'basic' })
    expect(request?.body).not.toHaveProperty('api_key')
    expect(results).toEqual([
      {
        title: 'Go 1.23 Release Notes - The Go Programming Language',
        url: 'https://go.dev/doc/go1.23',
        snippet: 'Go 1.23 is the latest release & arrives six months after Go 1.22.',
        date: '2024-08-13',
      },
      {
        title: 'Release History - The Go Programming Language',
        url: 'https://go.dev/doc/devel/release',
        snippet: 'This page summarizes the changes between official stable releases of Go.',
      },
    ])
  })

  it('reads FastAPI-style {"detail":{"error"}} bodies: 401 auth, 429 rate limit, 432 quota', async () => {
    const adapter = createTavilyAdapter(search.dispatcher)
    const unauthorized = (await adapter
      .search('q', options({ apiKey: 'tvly-wrong' }), signal)
      .catch((e: unknown) => e)) as SearchError
    expect(unauthorized).toMatchObject({ kind: 'auth', upstreamStatus: 401 })
    expect(unauthorized.message).toContain('Unauthorized: missing or invalid API key.')

    search.fake.script('tavily', { kind: 'error', status: 429 }, { kind: 'error', status: 432 })
    const limited = (await adapter.search('q', options(), signal).catch((e: unknown) => e)) as SearchError
    expect(limited).toMatchObject({ kind: 'rate_limit', quotaKind: 'minute', retryable: true })
    const spent = (await adapter.search('q', options(), signal).catch((e: unknown) => e)) as SearchError
    expect(spent).toMatchObject({ kind: 'quota', upstreamStatus: 432 })
    expect(spent.message).toContain('usage limit')
  })
})
