import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// A client may compress its request body (Content-Encoding: gzip, deflate or br). SmartSplit read the
// compressed bytes as JSON and answered "not valid JSON: Unexpected token '\u001f'" with binary garbage
// in the message. Now such a body is decoded (its decoded size still bounded by server.body_limit_bytes),
// and an encoding SmartSplit cannot decode is a 415 that says so, in the endpoint's own dialect.

const KEY = 'gsk_fake_compressed_key_000001'
const BODY_LIMIT_BYTES = 64 * 1024

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, behavior: { kind: 'text', pieces: ['Decoded-and-answered'] } })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY, model: 'gpt-oss-120b', limits: UNLIMITED } },
    server: { body_limit_bytes: BODY_LIMIT_BYTES },
  })
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

const endpoints = [
  {
    path: '/v1/chat/completions',
    body: (stream: boolean, text: string) => ({
      model: 'smartsplit',
      stream,
      messages: [{ role: 'user', content: text }],
    }),
    isAnthropic: false,
  },
  {
    path: '/v1/messages',
    body: (stream: boolean, text: string) => ({
      model: 'claude-sonnet-4',
      max_tokens: 100,
      stream,
      messages: [{ role: 'user', content: text }],
    }),
    isAnthropic: true,
  },
  {
    path: '/v1/responses',
    body: (stream: boolean, text: string) => ({ model: 'smartsplit', stream, input: text }),
    isAnthropic: false,
  },
] as const

const encoders: Record<string, (raw: Buffer) => Buffer> = {
  gzip: (raw) => gzipSync(raw),
  deflate: (raw) => deflateSync(raw),
  br: (raw) => brotliCompressSync(raw),
}

async function post(path: string, body: Buffer, encoding: string) {
  const response = await fetch(`${smartsplit.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': encoding },
    body,
  })
  return { status: response.status, text: await response.text() }
}

/** The error's message, read from the endpoint's own shape (fails on any other shape). */
function errorMessage(text: string, isAnthropic: boolean): string {
  const body = JSON.parse(text) as { type?: string; error: { message: string; type: string } }
  if (isAnthropic) expect(body.type, text).toBe('error')
  else expect(Object.keys(body.error).sort(), text).toEqual(['code', 'message', 'param', 'type'])
  return body.error.message
}

describe.each([false, true])('a compressed request body (stream: %s)', (stream) => {
  for (const endpoint of endpoints) {
    it.each(Object.keys(encoders))(`${endpoint.path}, %s: decoded and answered`, async (encoding) => {
      const text = `compressed question ${encoding} ${stream}`
      const raw = Buffer.from(JSON.stringify(endpoint.body(stream, text)))
      const before = fake.requests.length
      const answer = await post(endpoint.path, encoders[encoding]!(raw), encoding)
      expect(answer.status, answer.text).toBe(200)
      expect(answer.text).toContain('Decoded-and-answered')
      const sent = fake.requests.slice(before).map((request) => JSON.stringify(request.body))
      expect(sent.some((body) => body.includes(text))).toBe(true)
    })

    it(`${endpoint.path}: an encoding SmartSplit cannot decode is a 415 that names it`, async () => {
      const raw = Buffer.from(JSON.stringify(endpoint.body(stream, 'hi')))
      const answer = await post(endpoint.path, raw, 'zstd')
      expect(answer.status, answer.text).toBe(415)
      expect(errorMessage(answer.text, endpoint.isAnthropic)).toMatch(/zstd.*gzip/)
    })

    it(`${endpoint.path}: a body that is not valid gzip is a 400 that says so`, async () => {
      const raw = Buffer.from(JSON.stringify(endpoint.body(stream, 'hi')))
      const answer = await post(endpoint.path, raw, 'gzip')
      expect(answer.status, answer.text).toBe(400)
      const message = errorMessage(answer.text, endpoint.isAnthropic)
      expect(message).toMatch(/gzip/)
      expect(message).not.toContain('\ufffd')
      expect(message).not.toContain(String.fromCharCode(0x1f))
    })

    it(`${endpoint.path}: a small body that decodes past the limit is a 413`, async () => {
      const padding = 'x'.repeat(BODY_LIMIT_BYTES * 4)
      const raw = Buffer.from(JSON.stringify({ ...endpoint.body(stream, 'hi'), padding }))
      const compressed = gzipSync(raw)
      expect(compressed.length).toBeLessThan(BODY_LIMIT_BYTES)
      const answer = await post(endpoint.path, compressed, 'gzip')
      expect(answer.status, answer.text).toBe(413)
      expect(errorMessage(answer.text, endpoint.isAnthropic)).toMatch(/body_limit_bytes/)
    })
  }
})

it('an identity encoding is read as it is', async () => {
  const raw = Buffer.from(JSON.stringify(endpoints[0].body(false, 'plain')))
  const answer = await post('/v1/chat/completions', raw, 'identity')
  expect(answer.status, answer.text).toBe(200)
})
