import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// A client that goes away mid-answer on any endpoint, streamed or waiting for its JSON, has its upstream
// request aborted (the fake sees the abort and its connection closes): no provider keeps generating,
// and no token is spent, for nobody. fallback.test.ts covers a streamed chat client; this covers the
// Anthropic and Responses endpoints and the clients that wait for one JSON answer.

const KEY = 'gsk_fake_client_leaves_key_001'

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: KEY,
    behavior: { kind: 'text', pieces: Array.from({ length: 400 }, (_, i) => `word${i} `), chunkDelayMs: 20 },
  })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY, model: 'gpt-oss-120b', limits: UNLIMITED } },
  })
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

const endpoints: [string, (stream: boolean) => Record<string, unknown>][] = [
  [
    '/v1/chat/completions',
    (stream) => ({
      model: 'smartsplit',
      stream,
      messages: [{ role: 'user', content: 'Tell a long story.' }],
    }),
  ],
  [
    '/v1/messages',
    (stream) => ({
      model: 'claude-sonnet-4',
      max_tokens: 4000,
      stream,
      messages: [{ role: 'user', content: 'Tell a long story.' }],
    }),
  ],
  ['/v1/responses', (stream) => ({ model: 'smartsplit', stream, input: 'Tell a long story.' })],
]

describe.each([false, true])('a client that leaves mid-answer (stream: %s)', (stream) => {
  it.each(endpoints)('%s: the upstream request is aborted', async (path, body) => {
    const before = fake.requests.length
    const controller = new AbortController()
    const response = fetch(`${smartsplit.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body(stream)),
      signal: controller.signal,
    })
    if (stream) {
      const reader = (await response).body!.getReader()
      await reader.read()
    } else {
      // The JSON answer is not ready until the whole story is told: leave once the upstream is writing.
      await expect.poll(() => fake.requests.length, { timeout: 2000, interval: 10 }).toBe(before + 1)
      response.catch(() => {})
    }
    controller.abort()
    await expect.poll(() => fake.requests[before]?.aborted, { timeout: 3000, interval: 20 }).toBe(true)
    await expect.poll(() => fake.openConnections(), { timeout: 3000, interval: 20 }).toBe(0)
  })
})
