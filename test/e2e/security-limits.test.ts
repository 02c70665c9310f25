import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// Issue 9, limits: message count, header size, slow-header and slow-body clients, idle keep-alive,
// concurrent requests per client. Small limits keep it fast; a streamed answer that outlives the
// request timeout shows that timeout covers receiving the request only.

const KEY = 'gsk_limits_key_0000000001'
const LIMITS = {
  max_messages: 3,
  max_header_bytes: 4096,
  headers_timeout_ms: 200,
  request_timeout_ms: 300,
  keep_alive_timeout_ms: 300,
  max_concurrent_per_client: 2,
}
const SLOW_PIECES = Array.from({ length: 8 }, (_, i) => `w${i} `)

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit
let port: number

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY, limits: UNLIMITED } },
    server: LIMITS,
    quality_gates: false,
  })
  port = Number(new URL(smartsplit.url).port)
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

const user = (content: string) => ({ role: 'user', content })

async function post(path: string, body: unknown, dispatcher?: Agent) {
  const response = await request(`${smartsplit.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(dispatcher === undefined ? {} : { dispatcher }),
  })
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() }
}

/** Opens a raw connection, writes `data`, and collects what the server sends until it closes. */
async function rawExchange(data: string): Promise<{ reply: string; closedAfterMs: number }> {
  const socket: Socket = connect(port, '127.0.0.1')
  // A server that never cuts the client fails the test in seconds rather than hanging it.
  socket.setTimeout(5_000, () => socket.destroy())
  await once(socket, 'connect')
  const started = performance.now()
  socket.write(data)
  let reply = ''
  socket.on('data', (piece: Buffer) => {
    reply += String(piece)
  })
  await once(socket, 'close')
  return { reply, closedAfterMs: performance.now() - started }
}

describe('request limits', () => {
  it('answers more messages than server.max_messages with a 400 naming the field, in both shapes', async () => {
    const messages = [user('a'), user('b'), user('c'), user('d')]
    const openai = await post('/v1/chat/completions', { model: 'smartsplit', messages })
    expect(openai.status).toBe(400)
    expect(JSON.parse(openai.text)).toMatchObject({
      error: { param: 'messages', code: 'too_many_messages', message: expect.stringMatching(/at most 3/) },
    })
    const anthropic = await post('/v1/messages', { model: 'claude', max_tokens: 5, messages })
    expect(anthropic.status).toBe(400)
    expect(JSON.parse(anthropic.text)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    })
    expect(fake.requests).toHaveLength(0)
    expect(
      (await post('/v1/chat/completions', { model: 'smartsplit', messages: messages.slice(1) })).status,
    ).toBe(200)
  })

  it('answers headers over server.max_header_bytes with an OpenAI-shaped 431', async () => {
    const { reply } = await rawExchange(
      `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nx-big: ${'a'.repeat(8_000)}\r\n\r\n`,
    )
    expect(reply).toMatch(/^HTTP\/1\.1 431/)
    expect(reply).toContain('"code":"headers_too_large"')
  })

  it('cuts off a client that sends its headers too slowly (408)', async () => {
    const { reply, closedAfterMs } = await rawExchange(
      'POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    )
    expect(reply).toMatch(/^HTTP\/1\.1 408/)
    expect(reply).toContain('"code":"request_timeout"')
    expect(closedAfterMs).toBeGreaterThanOrEqual(150)
    expect(closedAfterMs).toBeLessThan(2_000)
  })

  it('cuts off a client that sends its body too slowly (408)', async () => {
    const body = JSON.stringify({ model: 'smartsplit', messages: [user('hi')] })
    const { reply, closedAfterMs } = await rawExchange(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    )
    expect(reply).toMatch(/^HTTP\/1\.1 408/)
    expect(closedAfterMs).toBeGreaterThanOrEqual(250)
    expect(closedAfterMs).toBeLessThan(2_000)
  })

  it('never cuts a streamed answer that lasts longer than the request timeout', async () => {
    fake.queue.push({ kind: 'text', pieces: SLOW_PIECES, chunkDelayMs: 100 })
    const started = performance.now()
    const answer = await post('/v1/chat/completions', {
      model: 'smartsplit',
      stream: true,
      messages: [user('hi')],
    })
    expect(performance.now() - started).toBeGreaterThan(LIMITS.request_timeout_ms * 2)
    expect(answer.status).toBe(200)
    expect(answer.text.trimEnd().endsWith('data: [DONE]')).toBe(true)
    expect(answer.text).toContain('w7 ')
  })

  it('closes a kept-alive connection left idle longer than server.keep_alive_timeout_ms', async () => {
    const { reply, closedAfterMs } = await rawExchange('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    expect(reply).toMatch(/^HTTP\/1\.1 200/)
    expect(reply).toContain('keep-alive')
    // Node adds up to a second to the keep-alive timeout before it closes the socket.
    expect(closedAfterMs).toBeGreaterThanOrEqual(250)
    expect(closedAfterMs).toBeLessThan(3_000)
  })

  it('answers a client over server.max_concurrent_per_client with a 429 and Retry-After, then serves it again', async () => {
    const agent = new Agent({ connections: 8 })
    try {
      for (let i = 0; i < 2; i++) fake.queue.push({ kind: 'text', pieces: SLOW_PIECES, chunkDelayMs: 60 })
      const streamed = { model: 'smartsplit', stream: true, messages: [user('hi')] }
      const before = fake.requests.length
      const slow = [
        post('/v1/chat/completions', streamed, agent),
        post('/v1/chat/completions', streamed, agent),
      ]
      // Both are in flight once the fake has them (it answers slowly).
      while (fake.requests.length < before + 2) await new Promise((r) => setTimeout(r, 10))
      const third = await post('/v1/chat/completions', { model: 'smartsplit', messages: [user('hi')] }, agent)
      expect(third.status).toBe(429)
      expect(third.headers['retry-after']).toBe('1')
      expect(JSON.parse(third.text)).toMatchObject({
        error: { type: 'rate_limit_error', code: 'too_many_concurrent_requests' },
      })
      for (const answer of await Promise.all(slow)) expect(answer.status).toBe(200)
      const after = await post('/v1/chat/completions', { model: 'smartsplit', messages: [user('hi')] }, agent)
      expect(after.status).toBe(200)
    } finally {
      await agent.close()
    }
  })
})
