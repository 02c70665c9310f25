import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// What a new user meets in the first minutes, over real HTTP: the base address, an unknown route,
// /health with nothing to serve, a mistyped query.

const KEY = 'gsk_first_run_key_0001'
let fake: FakeOpenAI
let served: RunningSmartSplit
let empty: RunningSmartSplit
let locked: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  served = await startSmartSplit({ providers: { groq: { base_url: fake.url, api_key: KEY } } })
  empty = await startSmartSplit({})
  locked = await startSmartSplit({ server: { api_keys: ['access-key-0123456789'] } })
})

afterAll(async () => {
  for (const app of [served, empty, locked]) await app.close()
  await fake.close()
})

describe('the first requests a new user sends', () => {
  it('GET / says what this is and points at /v1, the status pages and the routes', async () => {
    const response = await fetch(`${served.url}/`)
    expect(response.status).toBe(200)
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      name: 'SmartSplit',
      api: '/v1',
      status: { health: '/health', metrics: '/metrics', savings: '/savings' },
    })
    expect(body.routes).toContain('POST /v1/chat/completions')
    expect(String(body.message)).toContain('model "smartsplit"')
  })

  it('an unknown route is a 404 listing every route, /v1/models/{id} and count_tokens included', async () => {
    const response = await fetch(`${served.url}/v1/nowhere`)
    expect(response.status).toBe(404)
    const body = (await response.json()) as { error: { message: string } }
    assertMatchesSchema('ErrorResponse', body)
    for (const route of ['GET /v1/models/{id}', 'POST /v1/messages/count_tokens', 'POST /v1/responses'])
      expect(body.error.message).toContain(route)
  })

  it('/health answers 503 when there is nothing to serve, 200 when a provider is configured', async () => {
    const none = await fetch(`${empty.url}/health`)
    expect(none.status).toBe(503)
    expect(await none.json()).toMatchObject({ status: 'no_providers', providers: { enabled: 0 } })
    const ok = await fetch(`${served.url}/health`)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ status: 'ok', providers: { enabled: 1 } })
    // Without the access key a locked SmartSplit tells only its status, with the same status code.
    const bare = await fetch(`${locked.url}/health`)
    expect(bare.status).toBe(503)
    expect(await bare.json()).toEqual({ status: 'no_providers' })
  })

  it('/savings?days= takes a whole number of days and answers 400 naming the parameter otherwise', async () => {
    for (const days of ['abc', '0', '-3', '2.5', '99999', '']) {
      const response = await fetch(`${served.url}/savings?days=${days}`)
      expect(response.status, `days=${days}`).toBe(400)
      const body = (await response.json()) as { error: { param: string; message: string } }
      assertMatchesSchema('ErrorResponse', body)
      expect(body.error.param).toBe('days')
      expect(body.error.message).toMatch(/whole number of days from 1 to 3650/)
    }
    const week = await fetch(`${served.url}/savings?days=7`)
    expect(week.status).toBe(200)
    expect(await week.json()).toMatchObject({ total: { requests: 0 } })
  })
})
