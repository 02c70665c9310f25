import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from '../fakes/fake-anthropic.js'
import { startFakeGemini } from '../fakes/fake-gemini.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 9, security: access keys (constant-time, 401 in the client's shape), client credentials never
// forwarded upstream, and CORS off unless configured.

const ACCESS_KEY = 'ss-access-key-0123456789abcdef'
const ENV_KEYS = 'ss-env-key-one-000000,ss-env-key-two-000000'
const UPSTREAM_KEY = 'gsk_fake_security_upstream_0001'
const chat = { model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }
const anthropicBody = {
  model: 'claude-haiku-4-5',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'hi' }],
}

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

async function call(
  base: string,
  path: string,
  options: { method?: 'GET' | 'POST' | 'OPTIONS'; headers?: Record<string, string>; body?: unknown } = {},
) {
  const response = await request(`${base}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  const text = await response.body.text()
  return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) }
}

describe('access keys', () => {
  let fake: FakeOpenAI
  let smartsplit: RunningSmartSplit
  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: UPSTREAM_KEY })
    smartsplit = await startSmartSplit(
      {
        free_llm_priority: ['groq'],
        providers: { groq: { base_url: fake.url, api_key: UPSTREAM_KEY } },
        server: { api_keys: [ACCESS_KEY] },
      },
      { env: { SMARTSPLIT_API_KEY: ENV_KEYS } },
    )
  })
  afterAll(async () => {
    await smartsplit.close()
    await fake.close()
  })

  it('answers a request without a key with a 401 in OpenAI shape saying how to authenticate', async () => {
    const answer = await call(smartsplit.url, '/v1/chat/completions', { body: chat })
    expect(answer.status).toBe(401)
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/)
    expect(answer.json()).toEqual({
      error: {
        message: expect.stringMatching(/requires an access key.*Authorization: Bearer <key>/),
        type: 'authentication_error',
        param: null,
        code: 'invalid_api_key',
      },
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('rejects a wrong key, including one that shares a prefix with the real one', async () => {
    for (const wrong of ['nope', `${ACCESS_KEY}x`, ACCESS_KEY.slice(0, -1), `Basic ${ACCESS_KEY}`]) {
      const authorization = wrong.startsWith('Basic') ? wrong : `Bearer ${wrong}`
      const answer = await call(smartsplit.url, '/v1/chat/completions', {
        body: chat,
        headers: { authorization },
      })
      expect(answer.status, wrong).toBe(401)
      expect(answer.json().error.message).toMatch(/not valid/)
    }
  })

  it('serves the configured key and each key of SMARTSPLIT_API_KEY, through the OpenAI SDK', async () => {
    for (const apiKey of [ACCESS_KEY, ...ENV_KEYS.split(',')]) {
      const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey, maxRetries: 0 })
      const completion = await client.chat.completions.create({
        model: 'smartsplit',
        messages: [{ role: 'user', content: 'hi' }],
      })
      expect(completion.choices[0]?.message.content).toBe('Hello from the fake.')
    }
  })

  it('guards every /v1 route, /metrics and /savings, but not a bare /health', async () => {
    for (const path of ['/v1/models', '/v1/models/smartsplit', '/metrics', '/savings', '/v1/nowhere']) {
      expect((await call(smartsplit.url, path)).status, path).toBe(401)
    }
    for (const path of ['/v1/plan', '/v1/messages/count_tokens']) {
      expect((await call(smartsplit.url, path, { body: chat })).status, path).toBe(401)
    }
    const open = await call(smartsplit.url, '/health')
    expect(open.status).toBe(200)
    expect(open.json()).toEqual({ status: 'ok' })
    const full = await call(smartsplit.url, '/health', { headers: { authorization: `Bearer ${ACCESS_KEY}` } })
    expect(full.json().providers.enabled).toBe(1)
  })

  it('answers /v1/messages in Anthropic shape and accepts x-api-key there', async () => {
    const denied = await call(smartsplit.url, '/v1/messages', { body: anthropicBody })
    expect(denied.status).toBe(401)
    expect(denied.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: expect.stringMatching(/x-api-key/) },
    })
    const client = new Anthropic({ baseURL: smartsplit.url, apiKey: ACCESS_KEY, maxRetries: 0 })
    const message = await client.messages.create(anthropicBody as Anthropic.MessageCreateParamsNonStreaming)
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hello from the fake.' })
    // x-api-key is the Messages API's header only.
    const elsewhere = await call(smartsplit.url, '/v1/chat/completions', {
      body: chat,
      headers: { 'x-api-key': ACCESS_KEY },
    })
    expect(elsewhere.status).toBe(401)
  })
})

describe('client credentials are never forwarded', () => {
  const clientHeaders = {
    authorization: `Bearer ${ACCESS_KEY}`,
    'x-api-key': ACCESS_KEY,
    cookie: 'session=client-cookie-secret',
    'x-custom-secret': 'client-custom-secret',
    'openai-organization': 'org-client-secret',
    'proxy-authorization': 'Basic Y2xpZW50OnNlY3JldA==',
  }
  const leaked = (headers: Record<string, unknown>): string[] => {
    const text = JSON.stringify(headers)
    return [
      'client-cookie-secret',
      'client-custom-secret',
      'org-client-secret',
      'Y2xpZW50',
      ACCESS_KEY,
    ].filter((secret) => text.includes(secret))
  }

  it('to OpenAI-compatible, Anthropic and Gemini upstreams, streamed or not, on both inbound APIs', async () => {
    const openai = await startFakeOpenAI({ apiKey: UPSTREAM_KEY })
    const anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-security-0001' })
    const gemini = await startFakeGemini({ apiKey: 'gemini-security-key-01' })
    running.push(openai, anthropic, gemini)
    const upstreams = {
      groq: { base_url: openai.url, api_key: UPSTREAM_KEY },
      anthropic: { enabled: true, base_url: anthropic.url, api_key: 'sk-ant-security-0001' },
      gemini: { base_url: `${gemini.url}/v1beta`, api_key: 'gemini-security-key-01' },
    }
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['groq', 'gemini'],
      providers: upstreams,
      server: { api_keys: [ACCESS_KEY] },
    })
    running.push(smartsplit)
    for (const model of ['groq/fake-model', 'anthropic/claude-haiku-4-5', 'gemini/gemini-2.5-flash']) {
      for (const stream of [false, true]) {
        const headers = clientHeaders
        const openaiAnswer = await call(smartsplit.url, '/v1/chat/completions', {
          body: { ...chat, model, stream },
          headers,
        })
        expect(openaiAnswer.status, `${model} ${openaiAnswer.text.slice(0, 200)}`).toBe(200)
        const messagesAnswer = await call(smartsplit.url, '/v1/messages', {
          body: { ...anthropicBody, model, stream },
          headers,
        })
        expect(messagesAnswer.status, `${model} ${messagesAnswer.text.slice(0, 200)}`).toBe(200)
      }
    }
    const received = [...openai.requests, ...anthropic.requests, ...gemini.requests]
    expect(received.length).toBeGreaterThanOrEqual(12)
    for (const recorded of received) {
      expect(leaked(recorded.headers)).toEqual([])
      expect(recorded.headers.cookie).toBeUndefined()
      expect(recorded.headers['x-custom-secret']).toBeUndefined()
    }
    // Each upstream got its own key, and only it.
    expect(openai.requests.every((r) => r.headers.authorization === `Bearer ${UPSTREAM_KEY}`)).toBe(true)
    expect(anthropic.requests.every((r) => r.headers['x-api-key'] === 'sk-ant-security-0001')).toBe(true)
  }, 30_000)
})

describe('CORS and browser origins', () => {
  it('is off by default: a cross-origin page is refused, same-origin and non-browser clients are served', async () => {
    const fake = await startFakeOpenAI({ apiKey: UPSTREAM_KEY })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: fake.url, api_key: UPSTREAM_KEY } },
    })
    running.push(smartsplit, fake)
    // A "simple" cross-origin POST needs no preflight: without this check any page could spend the quota.
    const crossSite = await call(smartsplit.url, '/v1/chat/completions', {
      body: chat,
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
    })
    expect(crossSite.status).toBe(403)
    expect(crossSite.json().error.message).toMatch(/server\.cors_origins/)
    expect(crossSite.headers['access-control-allow-origin']).toBeUndefined()
    const preflight = await call(smartsplit.url, '/v1/chat/completions', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    // DNS rebinding: the page's own origin, but a Host that is not a local name.
    const rebound = await call(smartsplit.url, '/v1/models', { headers: { host: 'evil.example:8420' } })
    expect(rebound.status).toBe(403)
    expect(rebound.json().error.code).toBe('host_not_allowed')
    const sameOrigin = await call(smartsplit.url, '/v1/chat/completions', {
      body: chat,
      headers: { origin: smartsplit.url },
    })
    expect(sameOrigin.status).toBe(200)
    expect(fake.requests).toHaveLength(1)
  })

  it('answers preflights and adds CORS headers, streamed answers included, for configured origins only', async () => {
    const fake = await startFakeOpenAI({ apiKey: UPSTREAM_KEY })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: fake.url, api_key: UPSTREAM_KEY } },
      server: { api_keys: [ACCESS_KEY], cors_origins: ['https://app.example'] },
    })
    running.push(smartsplit, fake)
    const preflight = await call(smartsplit.url, '/v1/chat/completions', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-headers': 'authorization, content-type',
      vary: 'Origin',
    })
    for (const stream of [false, true]) {
      const answer = await call(smartsplit.url, '/v1/chat/completions', {
        body: { ...chat, stream },
        headers: { origin: 'https://app.example', authorization: `Bearer ${ACCESS_KEY}` },
      })
      expect(answer.status).toBe(200)
      expect(answer.headers['access-control-allow-origin']).toBe('https://app.example')
      expect(answer.headers['access-control-expose-headers']).toContain('x-smartsplit-provider')
    }
    // A 401 is readable by the allowed page too, so it can tell its user what is wrong.
    const unauthenticated = await call(smartsplit.url, '/v1/models', {
      headers: { origin: 'https://app.example' },
    })
    expect(unauthenticated.status).toBe(401)
    expect(unauthenticated.headers['access-control-allow-origin']).toBe('https://app.example')
    const other = await call(smartsplit.url, '/v1/models', {
      headers: { origin: 'https://other.example', authorization: `Bearer ${ACCESS_KEY}` },
    })
    expect(other.status).toBe(403)
  })
})
