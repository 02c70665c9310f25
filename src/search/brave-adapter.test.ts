import { describe, expect, it } from 'vitest'
import { useFakeSearch } from '../../test/support/use-fake-search.js'
import { createBraveAdapter } from './brave-adapter.js'
import type { SearchError } from './types.js'

const search = useFakeSearch('brave', { maxResults: 5, apiKey: 'brave-key' })
const { options, signal } = search

describe('createBraveAdapter', () => {
  it('GETs /web/search with the subscription token and maps web.results', async () => {
    const results = await createBraveAdapter(search.dispatcher).search('Go 1.23 "release"', options(), signal)
    const [request] = search.fake.requestsTo('brave')
    expect(request?.method).toBe('GET')
    expect(request?.path).toBe('/brave/res/v1/web/search')
    expect(request?.query).toMatchObject({ q: 'Go 1.23 "release"', count: '5', text_decorations: 'false' })
    expect(request?.headers['x-subscription-token']).toBe('brave-key')
    expect(request?.headers.accept).toBe('application/json')
    expect(results[0]).toEqual({
      title: 'Go 1.23 Release Notes - The Go Programming Language',
      url: 'https://go.dev/doc/go1.23',
      snippet: 'Go 1.23 is the latest release & arrives six months after Go 1.22.',
      date: '2024-08-13',
    })
    expect(results).toHaveLength(3)
  })

  it('strips highlighting markup from descriptions', async () => {
    search.fake.script('brave', {
      kind: 'results',
      hits: [
        {
          title: '<b>Go</b> news',
          url: 'https://go.dev/blog',
          snippet: 'The <strong>Go</strong>  blog &#8212; news',
        },
      ],
    })
    const [result] = await createBraveAdapter(search.dispatcher).search('go', options(), signal)
    expect(result).toEqual({ title: 'Go news', url: 'https://go.dev/blog', snippet: 'The Go blog — news' })
  })

  it('answers a page without web results with no results', async () => {
    search.fake.script('brave', { kind: 'results', hits: [] })
    expect(await createBraveAdapter(search.dispatcher).search('go', options(), signal)).toEqual([])
  })

  it('reads which X-RateLimit window ran out: per second is a rate limit, per month a quota', async () => {
    search.fake.script(
      'brave',
      { kind: 'error', status: 429 },
      { kind: 'error', status: 429, window: 'month' },
    )
    const adapter = createBraveAdapter(search.dispatcher)
    const perSecond = (await adapter.search('q', options(), signal).catch((e: unknown) => e)) as SearchError
    expect(perSecond).toMatchObject({ kind: 'rate_limit', retryAfterMs: 1_000, quotaKind: 'minute' })
    expect(perSecond.message).toContain('RATE_LIMITED')
    const monthly = (await adapter.search('q', options(), signal).catch((e: unknown) => e)) as SearchError
    expect(monthly).toMatchObject({ kind: 'quota', retryAfterMs: 1_419_000_000, quotaKind: 'unknown' })
  })

  it('reports the 422 SUBSCRIPTION_TOKEN_INVALID Brave sends for a wrong key as auth', async () => {
    const error = (await createBraveAdapter(search.dispatcher)
      .search('q', options({ apiKey: 'nope' }), signal)
      .catch((e: unknown) => e)) as SearchError
    expect(error).toMatchObject({ kind: 'auth', upstreamStatus: 422, retryable: true })
  })
})
