import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

// Failover before the first token is invisible; failure after content is an error, never a [DONE].

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

async function twoProviders(firstBehavior: FakeBehavior, timeouts: Record<string, number> = {}) {
  const first = await startFakeOpenAI({ apiKey: 'key-one-000001', behavior: firstBehavior })
  const second = await startFakeOpenAI({
    apiKey: 'key-two-000002',
    behavior: { kind: 'text', text: 'Answer from the second.' },
  })
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['cerebras', 'groq'],
    providers: {
      cerebras: { base_url: first.url, api_key: 'key-one-000001' },
      groq: { base_url: second.url, api_key: 'key-two-000002' },
    },
    timeouts: { first_byte_ms: 1500, ...timeouts },
  })
  running.push(smartsplit, first, second)
  return {
    first,
    second,
    smartsplit,
    client: new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 }),
  }
}

async function readRaw(response: Response): Promise<string> {
  return await response.text()
}

const failures: [string, FakeBehavior][] = [
  [
    '429 with retry-after',
    {
      kind: 'error',
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { message: 'Rate limit reached', type: 'tokens', code: 'rate_limit_exceeded' } },
    },
  ],
  ['500', { kind: 'error', status: 500 }],
  ['503', { kind: 'error', status: 503 }],
  ['a stall before the first byte', { kind: 'stall' }],
  ['a malformed first chunk', { kind: 'malformed' }],
  ['a cut before any content', { kind: 'cut', afterPieces: 0 }],
  ['401 for a bad key', { kind: 'error', status: 401 }],
]

describe('fallback before the first token', () => {
  for (const [name, behavior] of failures) {
    it(`falls back on ${name}, streamed and not`, async () => {
      // Two separate instances: after one failure the learner rightly stops trying the first provider.
      const { first, second, client } = await twoProviders(behavior)
      const streaming = await twoProviders(behavior)
      const { data, response } = await client.chat.completions
        .create({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] })
        .withResponse()
      expect(data.choices[0]?.message.content).toBe('Answer from the second.')
      expect(response.headers.get('x-smartsplit-provider')).toBe('groq')
      expect(response.headers.get('x-smartsplit-attempts')).toMatch(/^cerebras\/.+=\w+, groq\/.+=ok$/)
      const stream = await streaming.client.chat.completions.create({
        model: 'smartsplit',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      })
      let text = ''
      for await (const chunk of stream) {
        assertMatchesSchema('CreateChatCompletionStreamResponse', chunk)
        text += chunk.choices[0]?.delta.content ?? ''
      }
      expect(text).toBe('Answer from the second.')
      expect([first.requests.length, second.requests.length]).toEqual([1, 1])
      expect([streaming.first.requests.length, streaming.second.requests.length]).toEqual([1, 1])
    })
  }

  it('falls back when the first provider is down (connection refused)', async () => {
    const second = await startFakeOpenAI({
      apiKey: 'key-two-000002',
      behavior: { kind: 'text', text: 'Up.' },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['cerebras', 'groq'],
      providers: {
        cerebras: { base_url: 'http://127.0.0.1:9/v1', api_key: 'key-one-000001' },
        groq: { base_url: second.url, api_key: 'key-two-000002' },
      },
    })
    running.push(smartsplit, second)
    const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    const data = await client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'hi' }],
    })
    expect(data.choices[0]?.message.content).toBe('Up.')
  })

  it('a non-streaming answer cut halfway still falls back invisibly', async () => {
    const { client } = await twoProviders({ kind: 'cut', afterPieces: 2 })
    const data = await client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'hi' }],
    })
    expect(data.choices[0]?.message.content).toBe('Answer from the second.')
  })

  it.each([false, true])(
    "a gateway's 413 (payload too large, no word of tokens) is one provider's limit: the next one answers (stream: %s)",
    async (stream) => {
      const { first, second, client } = await twoProviders({
        kind: 'error',
        status: 413,
        body: {
          error: {
            message: 'Request body exceeds the maximum size of 1048576 bytes',
            type: 'invalid_request_error',
          },
        },
      })
      const answer = await ask(client, { messages: [{ role: 'user', content: 'hi' }] }, stream)
      expect(answer.text).toBe('Answer from the second.')
      expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/=bad_request, \S+=ok$/)
      expect([first.requests.length, second.requests.length]).toEqual([1, 1])
    },
  )
})

// Long enough to pass the quality gate's hold-back (200 characters), so the client has seen content.
const LONG = ['A'.repeat(120), 'B'.repeat(120), 'C'.repeat(120), 'D'.repeat(120)]

describe('failure after content', () => {
  it('ends the stream with an error event and no [DONE] when the upstream is cut', async () => {
    const { smartsplit } = await twoProviders({ kind: 'cut', afterPieces: 2, pieces: LONG })
    const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'smartsplit',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    })
    expect(response.status).toBe(200)
    const raw = await readRaw(response)
    expect(raw).toContain(`"content":"${'A'.repeat(120)}"`)
    expect(raw).not.toContain('[DONE]')
    const last = raw.trim().split('\n\n').at(-1)!
    const error = JSON.parse(last.replace(/^data: /, '')) as {
      error: { message: string; type: string; code: string }
    }
    expect(error.error.type).toBe('upstream_error')
    expect(error.error.message).toMatch(/cerebras/)
  })

  it('surfaces a mid-stream error event as an error the openai SDK throws', async () => {
    const { client } = await twoProviders({ kind: 'midstream_error', afterPieces: 2, pieces: LONG })
    const stream = await client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    })
    let text = ''
    await expect(async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    }).rejects.toThrow(/mid-stream/)
    expect(text).toBe(LONG[0]! + LONG[1]!)
  })
})

describe('client disconnects', () => {
  it('aborts the upstream request when the client goes away mid-stream', async () => {
    const { first, smartsplit } = await twoProviders({
      kind: 'text',
      pieces: Array.from({ length: 200 }, (_, i) => `w${i} `),
      chunkDelayMs: 20,
    })
    const controller = new AbortController()
    const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      body: JSON.stringify({
        model: 'smartsplit',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    })
    const reader = response.body!.getReader()
    await reader.read()
    controller.abort()
    await expect.poll(() => first.requests[0]?.aborted, { timeout: 2000, interval: 20 }).toBe(true)
    await expect.poll(() => first.openConnections(), { timeout: 2000, interval: 20 }).toBe(0)
  })
})

describe('keep-alive while waiting', () => {
  it('sends SSE comments while the first token is slow, then the answer', async () => {
    const { smartsplit } = await twoProviders(
      { kind: 'text', text: 'Slow but fine.', firstByteDelayMs: 350 },
      { keepalive_ms: 100, first_byte_ms: 2000 },
    )
    const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'smartsplit',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    })
    const raw = await response.text()
    expect(raw.startsWith(': keep-alive\n\n')).toBe(true)
    const text = raw
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: {'))
      .map(
        (frame) =>
          (JSON.parse(frame.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta
            .content ?? '',
      )
      .join('')
    expect(text).toBe('Slow but fine.')
    expect(raw.endsWith('data: [DONE]\n\n')).toBe(true)
  })

  it('ignores upstream keep-alive comments (OpenRouter PROCESSING)', async () => {
    const { client } = await twoProviders({ kind: 'keepalive_then_text', comments: 3, text: 'Processed.' })
    const data = await client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'hi' }],
    })
    expect(data.choices[0]?.message.content).toBe('Processed.')
  })
})
