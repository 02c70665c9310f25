import { describe, expect, it } from 'vitest'
import { useFakeSearch } from '../../test/support/use-fake-search.js'
import { createSerperAdapter } from './serper-adapter.js'
import { SearchError } from './types.js'

const search = useFakeSearch('serper', { maxResults: 5, apiKey: 'serper-key' })
const { options, signal } = search

describe('createSerperAdapter', () => {
  it('POSTs the query with X-API-KEY and maps organic results', async () => {
    const results = await createSerperAdapter(search.dispatcher).search(
      'latest Go release',
      options(),
      signal,
    )
    const [request] = search.fake.requestsTo('serper')
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe('/serper/search')
    expect(request?.headers['x-api-key']).toBe('serper-key')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.body).toEqual({ q: 'latest Go release', num: 5 })
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
      {
        title: 'Go (programming language) - Wikipedia',
        url: 'https://en.wikipedia.org/wiki/Go_(programming_language)',
        snippet: 'Go is a statically typed, compiled high-level programming language designed at Google.',
        date: '3 days ago',
      },
    ])
  })

  it('folds the answer box and knowledge graph in first, without duplicates, up to maxResults', async () => {
    search.fake.script('serper', {
      kind: 'results',
      answerBox: {
        title: 'Go version',
        answer: 'Go 1.23',
        snippet: 'Released August 2024.',
        link: 'https://go.dev/dl/',
      },
      knowledgeGraph: {
        title: 'Go',
        type: 'Programming language',
        description: 'Go is a programming language.',
        descriptionLink: 'https://en.wikipedia.org/wiki/Go_(programming_language)',
        attributes: { 'Designed by': 'Robert Griesemer, Rob Pike, Ken Thompson', 'First appeared': '2009' },
      },
    })
    const results = await createSerperAdapter(search.dispatcher).search(
      'go version',
      options({ maxResults: 3 }),
      signal,
    )
    expect(results.map((result) => result.url)).toEqual([
      'https://go.dev/dl/',
      'https://en.wikipedia.org/wiki/Go_(programming_language)',
      'https://go.dev/doc/go1.23',
    ])
    expect(results[0]?.snippet).toBe('Go 1.23 — Released August 2024.')
    expect(results[1]?.snippet).toBe(
      'Programming language — Go is a programming language. — Designed by: Robert Griesemer, Rob Pike, Ken Thompson; First appeared: 2009',
    )
  })

  it('drops results whose link cannot be cited', async () => {
    search.fake.script('serper', {
      kind: 'results',
      answerBox: { answer: '42' },
      hits: [
        { title: 'Script', url: 'javascript:alert(1)', snippet: 'x' },
        { title: 'Relative', url: '/local/page', snippet: 'x' },
        { title: 'Kept', url: 'https://example.com/kept', snippet: 'kept' },
      ],
    })
    const results = await createSerperAdapter(search.dispatcher).search('q', options(), signal)
    expect(results).toEqual([{ title: 'Kept', url: 'https://example.com/kept', snippet: 'kept' }])
  })

  it('reports a wrong key as auth (Serper answers 403 {"message","statusCode"}) without echoing the key', async () => {
    const error = await createSerperAdapter(search.dispatcher)
      .search('q', options({ apiKey: 'wrong-key-123456' }), signal)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SearchError)
    expect(error).toMatchObject({ provider: 'serper', kind: 'auth', upstreamStatus: 403, retryable: true })
    expect((error as SearchError).message).toContain('Unauthorized.')
    expect((error as SearchError).message).not.toContain('wrong-key-123456')
  })

  it('maps 429, exhausted credits and 5xx', async () => {
    search.fake.script(
      'serper',
      { kind: 'error', status: 429 },
      { kind: 'error', status: 400 },
      { kind: 'error', status: 500 },
    )
    const adapter = createSerperAdapter(search.dispatcher)
    const kinds = []
    for (let i = 0; i < 3; i++) {
      const error = (await adapter.search('q', options(), signal).catch((e: unknown) => e)) as SearchError
      kinds.push([error.kind, error.upstreamStatus])
    }
    expect(kinds).toEqual([
      ['rate_limit', 429],
      ['billing', 400],
      ['overloaded', 500],
    ])
  })
})
