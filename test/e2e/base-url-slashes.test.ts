import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// A base URL typed with a trailing slash ("http://127.0.0.1:8420/v1/" or ".../") becomes
// "/v1//responses" or "//v1/messages" in clients that join it with a path by string concatenation.
// SmartSplit answered those with a 404 "Unknown route"; it now serves them as the single-slash route,
// and an error on such a path still comes in the endpoint's own dialect.

const KEY = 'gsk_fake_slashes_key_000000001'

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, behavior: { kind: 'text', pieces: ['Served-anyway'] } })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY, model: 'gpt-oss-120b', limits: UNLIMITED } },
    server: { max_messages: 3 },
  })
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

const bodies: Record<string, (stream: boolean) => Record<string, unknown>> = {
  '/chat/completions': (stream) => ({
    model: 'smartsplit',
    stream,
    messages: [{ role: 'user', content: 'hi' }],
  }),
  '/messages': (stream) => ({
    model: 'claude-sonnet-4',
    max_tokens: 50,
    stream,
    messages: [{ role: 'user', content: 'hi' }],
  }),
  '/responses': (stream) => ({ model: 'smartsplit', stream, input: 'hi' }),
}

async function post(path: string, body: unknown) {
  const response = await fetch(`${smartsplit.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, text: await response.text() }
}

describe.each([false, true])('a path with doubled slashes (stream: %s)', (stream) => {
  for (const [route, body] of Object.entries(bodies)) {
    for (const path of [`/v1/${route}`, `//v1${route}`]) {
      it(`POST ${path} is served`, async () => {
        const answer = await post(path, body(stream))
        expect(answer.status, answer.text).toBe(200)
        expect(answer.text).toContain('Served-anyway')
      })
    }
  }

  it('an error on //v1/messages is Anthropic-shaped', async () => {
    const answer = await post('//v1/messages', { ...bodies['/messages']!(stream), max_tokens: 0 })
    expect(answer.status, answer.text).toBe(400)
    expect(JSON.parse(answer.text)).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
  })
})

it('the limits of a route hold on its doubled-slash path too', async () => {
  const before = fake.requests.length
  const input = Array.from({ length: 5 }, () => ({ role: 'user', content: 'hi' }))
  const answer = await post('/v1//responses', { model: 'smartsplit', input })
  expect(answer.status, answer.text).toBe(400)
  expect(answer.text).toContain('max_messages')
  expect(fake.requests.length).toBe(before)
})

it('GET /v1//models lists the models', async () => {
  const response = await fetch(`${smartsplit.url}/v1//models`)
  expect(response.status).toBe(200)
  expect(((await response.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0)
})
