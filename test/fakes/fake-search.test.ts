import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeSearch, startFakeSearch } from './fake-search.js'

// The fake must be as strict as the real APIs where it matters, or adapter tests prove nothing.

let fake: FakeSearch
beforeAll(async () => {
  fake = await startFakeSearch()
})
afterAll(async () => {
  await fake.close()
})

async function call(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: unknown } = {},
) {
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  })
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() }
}

describe('fake search server', () => {
  it('requires each API its own auth, answering in its own error shape', async () => {
    const serper = await call(`${fake.baseUrls.serper}/search`, { method: 'POST', body: { q: 'x' } })
    expect(serper.status).toBe(403)
    expect(JSON.parse(serper.text)).toEqual({ message: 'Unauthorized.', statusCode: 403 })

    const tavily = await call(`${fake.baseUrls.tavily}/search`, {
      method: 'POST',
      headers: { authorization: 'Bearer wrong' },
      body: { query: 'x' },
    })
    expect(tavily.status).toBe(401)
    expect(JSON.parse(tavily.text)).toMatchObject({ detail: { error: expect.any(String) } })

    const brave = await call(`${fake.baseUrls.brave}/web/search?q=x`)
    expect(brave.status).toBe(422)
    expect(JSON.parse(brave.text)).toMatchObject({
      type: 'ErrorResponse',
      error: { code: 'SUBSCRIPTION_TOKEN_INVALID' },
    })
  })

  it('accepts Tavily legacy keys in the body and sends Brave rate-limit headers', async () => {
    const tavily = await call(`${fake.baseUrls.tavily}/search`, {
      method: 'POST',
      body: { query: 'x', api_key: 'tvly-test-key', max_results: 1 },
    })
    expect(tavily.status).toBe(200)
    expect(JSON.parse(tavily.text).results).toHaveLength(1)

    const brave = await call(`${fake.baseUrls.brave}/web/search?q=go`, {
      headers: { 'x-subscription-token': 'brave-key' },
    })
    expect(brave.headers['x-ratelimit-remaining']).toBe('0, 14999')
    expect(JSON.parse(brave.text).web.results[0].description).toMatch(/^<strong>/)
  })

  it('answers SearXNG only in format=json, and records every request', async () => {
    const before = fake.requests.length
    expect((await call(`${fake.baseUrls.searxng}/search?q=x`)).status).toBe(403)
    expect((await call(`${fake.baseUrls.searxng}/search?q=x&format=json`)).status).toBe(200)
    expect(fake.requests.length - before).toBe(2)
    expect((await call(`${fake.url}/nowhere`)).status).toBe(404)
  })
})
