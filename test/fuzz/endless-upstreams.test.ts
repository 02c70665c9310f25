import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import {
  chunkFrame,
  type Misbehavior,
  type RawUpstream,
  startRawUpstream,
  writeForever,
} from './raw-upstream.js'
import { type ChatOutcome, readChatAnswer } from './read-chat-answer.js'

// Issue 15 item 2, upstream answers that never end: one SSE event that never ends, a JSON body that never
// ends, data lines that never meet a blank line, and an endless valid answer. Each must end as a malformed
// answer once it outgrows upstream_limits (fallback before the first byte, an error event after it), long
// before the idle timeout, with memory bounded. The timeouts are long on purpose: without the bounds,
// nothing but memory running out would end these answers.

const LIMITS = { max_event_chars: 64 * 1024, max_answer_bytes: 1024 * 1024 }
const BOUND_MS = 6_000
const sse = { 'content-type': 'text/event-stream' }
/** About 3 MB/s: past every limit within a second, harmless for the test process if a bound is missing. */
const PIECE = 'x'.repeat(16 * 1024)

const endless: Record<string, Misbehavior> = {
  'an event that never ends': (res) => {
    res.writeHead(200, sse).write('data: {"choices":[{"index":0,"delta":{"content":"')
    writeForever(res, PIECE, 5)
  },
  'a JSON body that never ends': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.write(
      '{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"',
    )
    writeForever(res, PIECE, 5)
  },
  'data lines that never meet a blank line': (res) => {
    writeForever(res.writeHead(200, sse), chunkFrame(PIECE).replace('\n\n', '\n'), 5)
  },
  'an answer that never ends': (res) => {
    writeForever(res.writeHead(200, sse), chunkFrame(PIECE), 5)
  },
}

let raw: RawUpstream
let good: FakeOpenAI
const running: RunningSmartSplit[] = []

beforeAll(async () => {
  raw = await startRawUpstream(endless)
  good = await startFakeOpenAI({
    apiKey: 'gsk_good_key_00000002',
    behavior: { kind: 'text', text: 'Answer from the second.' },
  })
})
afterAll(async () => {
  await Promise.all(running.map((server) => server.close()))
  await raw.close()
  await good.close()
})

async function smartsplit(withFallback: boolean): Promise<RunningSmartSplit> {
  const cerebras = { base_url: raw.url, api_key: 'csk-raw-key-000000001' }
  const server = await startSmartSplit({
    free_llm_priority: withFallback ? ['cerebras', 'groq'] : ['cerebras'],
    providers: withFallback
      ? { cerebras, groq: { base_url: good.url, api_key: 'gsk_good_key_00000002' } }
      : { cerebras },
    timeouts: { first_byte_ms: 60_000, idle_ms: 60_000 },
    upstream_limits: LIMITS,
  })
  running.push(server)
  return server
}

async function ask(server: RunningSmartSplit, scenario: string, stream: boolean): Promise<ChatOutcome> {
  const started = performance.now()
  const response = await request(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', stream, messages: [{ role: 'user', content: scenario }] }),
    headersTimeout: BOUND_MS,
    bodyTimeout: BOUND_MS,
  })
  const text = await response.body.text()
  return { status: response.statusCode, ms: performance.now() - started, text }
}

const names = Object.keys(endless)

describe.each([false, true])('an upstream answer that never ends (stream: %s)', (stream) => {
  it('with one provider: an OpenAI-shaped failure naming the limit, in bounded time', async () => {
    const servers = await Promise.all(names.map(() => smartsplit(false)))
    const outcomes = await Promise.all(names.map((name, index) => ask(servers[index]!, name, stream)))
    for (const [index, name] of names.entries()) {
      const outcome = outcomes[index]!
      expect(outcome.ms, `${name} took ${Math.round(outcome.ms)} ms`).toBeLessThan(BOUND_MS)
      const answer = readChatAnswer(outcome, stream)
      expect(answer.error, name).toMatch(/upstream_limits\.max_(event_chars|answer_bytes)/)
    }
  })

  it('with a second provider: falls back unless content already reached the client', async () => {
    const servers = await Promise.all(names.map(() => smartsplit(true)))
    const outcomes = await Promise.all(names.map((name, index) => ask(servers[index]!, name, stream)))
    for (const [index, name] of names.entries()) {
      const outcome = outcomes[index]!
      expect(outcome.ms, `${name} took ${Math.round(outcome.ms)} ms`).toBeLessThan(BOUND_MS)
      const answer = readChatAnswer(outcome, stream)
      if (stream && name === 'an answer that never ends') {
        // Its content was streamed before the bound was reached: the stream ends with an error event.
        expect(answer.text.length, name).toBeGreaterThan(0)
        expect(answer.error, name).toMatch(/max_answer_bytes/)
      } else expect(answer, name).toEqual({ text: 'Answer from the second.', error: null })
    }
  })
})

it('leaves no upstream request running', async () => {
  const deadline = performance.now() + 2_000
  while (raw.activeRequests() > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  expect(raw.activeRequests()).toBe(0)
})
