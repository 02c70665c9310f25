import { connect } from 'node:net'
import fc from 'fast-check'
import { Pool } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'
import { BODY_LIMIT_BYTES, badRequest, type FuzzCase } from './bad-request-cases.js'
import { problemWith, runBounded, send } from './check-answer.js'

// Issue 9, bad input: 10 000 generated bad requests (1 000 in npm test) to every endpoint of a real SmartSplit. Targets:
// no crash, no 5xx caused by the request, every rejection an OpenAI-shaped 4xx that names the problem,
// and the server still answers a normal request afterwards. Seeded: a failure replays exactly.

const SEED = 20_260_109
// 1 000 in `npm test`; the full 10 000 in `npm run test:load`.
const RUNS = process.env.SMARTSPLIT_TEST_LOAD === '1' ? 10_000 : 1_000
const KEY = 'gsk_fuzz_key_0000000001'

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit
let pool: Pool
const prototypeKeysBefore = {
  object: Object.getOwnPropertyNames(Object.prototype).sort(),
  array: Object.getOwnPropertyNames(Array.prototype).sort(),
}

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY, model: 'gpt-oss-120b', limits: UNLIMITED } },
    server: { body_limit_bytes: BODY_LIMIT_BYTES },
  })
  pool = new Pool(smartsplit.url, { connections: 8, pipelining: 1 })
})
afterAll(async () => {
  await pool.close()
  await smartsplit.close()
  await fake.close()
})

const normal: FuzzCase = {
  label: 'normal',
  method: 'POST',
  path: '/v1/chat/completions',
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] })),
  statuses: [200],
  mention: /./,
}

async function expectNormalRequestServed(): Promise<void> {
  const answer = await send(pool, normal)
  expect(answer.status).toBe(200)
  assertMatchesSchema('CreateChatCompletionResponse', JSON.parse(answer.text))
}

const internalErrors = (): string[] => smartsplit.logs.filter((line) => line.includes('"internal error"'))

describe('a barrage of bad requests', () => {
  it(`answers ${RUNS} generated bad requests with OpenAI-shaped 4xx, then serves a normal one`, async () => {
    const cases = fc.sample(badRequest, { seed: SEED, numRuns: RUNS })
    const failures = new Map<string, string>()
    let failed = 0
    const started = performance.now()
    await runBounded(cases, 16, async (item) => {
      let problem: string | null
      try {
        problem = problemWith(item, await send(pool, item))
      } catch (error) {
        problem = `request failed: ${(error as Error).message}`
      }
      if (problem === null) return
      failed += 1
      if (!failures.has(item.label))
        failures.set(item.label, `${problem}\n    body: ${item.body?.toString('utf8').slice(0, 200) ?? ''}`)
    })
    const seconds = (performance.now() - started) / 1000
    console.info(`bad-requests: ${cases.length} requests in ${seconds.toFixed(1)} s (seed ${SEED})`)
    const report = [...failures].map(([label, problem]) => `- ${label}: ${problem}`).join('\n')
    expect(failed, `${failed} bad answers (first per kind):\n${report}`).toBe(0)
    expect(internalErrors()).toEqual([])
    await expectNormalRequestServed()
  }, 90_000)

  it('never lets a request change a built-in prototype', () => {
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeysBefore.object)
    expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(prototypeKeysBefore.array)
  })
})

// ── Valid but odd: generated well-formed requests reach the fake and come back spec-valid ─────────

const text = fc.string({ unit: 'grapheme', maxLength: 80 })
const extraFields = fc.dictionary(
  fc
    .string({ minLength: 1, maxLength: 10 })
    .filter((k) => /^x_[a-z]/.test(`x_${k}`) && !k.startsWith('_'))
    .map((k) => `x_${k}`),
  fc.jsonValue({ maxDepth: 3 }),
  { maxKeys: 2 },
)
const parts = fc.array(
  fc.oneof(
    fc.record({ type: fc.constant('text'), text }),
    fc.record({ type: fc.constant('text'), text, cache_control: fc.constant({ type: 'ephemeral' }) }),
  ),
  { minLength: 1, maxLength: 3 },
)
const toolCall = fc.record({
  id: fc.string({ minLength: 1, maxLength: 20 }),
  type: fc.constant('function'),
  function: fc.record({ name: fc.stringMatching(/^[a-z_]{1,20}$/), arguments: fc.json() }),
})
const message = fc.oneof(
  fc.record({ role: fc.constantFrom('system', 'developer', 'user'), content: fc.oneof(text, parts) }),
  fc.record(
    {
      role: fc.constant('assistant'),
      content: fc.option(text),
      tool_calls: fc.array(toolCall, { maxLength: 2 }),
    },
    { requiredKeys: ['role'] },
  ),
  fc.record({
    role: fc.constant('tool'),
    content: text,
    tool_call_id: fc.string({ minLength: 1, maxLength: 20 }),
  }),
)
const oddRequest = fc.record(
  {
    model: fc.oneof(
      fc.constantFrom(
        'smartsplit',
        'smartsplit-economy',
        'smartsplit-quality',
        'gpt-4o',
        'groq/gpt-oss-120b',
      ),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((m) => `groq/${m}`),
    ),
    messages: fc.array(
      fc.tuple(message, extraFields).map(([m, extra]) => ({ ...extra, ...m })),
      { minLength: 1, maxLength: 6 },
    ),
    stream: fc.option(fc.boolean()),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true })),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    max_tokens: fc.option(fc.integer({ min: 1, max: 2 ** 31 })),
    stop: fc.oneof(text, fc.array(text, { maxLength: 4 })),
    seed: fc.integer(),
    user: text,
    metadata: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), text, { maxKeys: 3 }),
  },
  { requiredKeys: ['model', 'messages'] },
)

/**
 * What an OpenAI-compatible upstream receives: the messages as sent, minus Anthropic's cache_control
 * markers, which only an Anthropic upstream reads and strict ones refuse (Groq: "property … is
 * unsupported"), and with a system, assistant or tool turn's text-only part array as one string (Groq
 * takes only a string there; an assistant's `[]` beside tool calls is null). Nothing else is touched.
 */
function asForwarded(messages: Record<string, unknown>[]): unknown[] {
  return messages.map(({ cache_control: _message, ...message }) => {
    if (!Array.isArray(message.content)) return message
    const parts = (message.content as Record<string, unknown>[]).map(
      ({ cache_control: _part, ...part }) => part,
    )
    const isTextOnly = parts.every((part) => part.type === 'text' && typeof part.text === 'string')
    if (message.role === 'user' || message.role === 'function' || !isTextOnly)
      return { ...message, content: parts }
    const text = parts.map((part) => part.text).join('\n')
    const toolCalls = message.tool_calls
    const isBareToolCall = text === '' && Array.isArray(toolCalls) && toolCalls.length > 0
    return { ...message, content: message.role === 'assistant' && isBareToolCall ? null : text }
  })
}

async function readStream(body: string): Promise<void> {
  const events = body.split('\n\n').filter((frame) => frame.startsWith('data: '))
  expect(events.at(-1)).toBe('data: [DONE]')
  for (const event of events.slice(0, -1))
    assertMatchesSchema('CreateChatCompletionStreamResponse', JSON.parse(event.slice(6)))
}

describe('valid but odd requests', () => {
  it('are forwarded and answered 200 with a spec-valid body', async () => {
    await fc.assert(
      fc.asyncProperty(oddRequest, async (request) => {
        const sent = fake.requests.length
        const answer = await send(pool, { ...normal, body: Buffer.from(JSON.stringify(request)) })
        expect(answer.status, answer.text.slice(0, 300)).toBe(200)
        if (request.stream === true) await readStream(answer.text)
        else assertMatchesSchema('CreateChatCompletionResponse', JSON.parse(answer.text))
        const forwarded = fake.requests[sent]!.body.messages as unknown[]
        expect(forwarded).toEqual(asForwarded(JSON.parse(JSON.stringify(request.messages))))
      }),
      { seed: SEED, numRuns: 300 },
    )
    expect(internalErrors()).toEqual([])
  }, 60_000)
})

// ── Known bugs: each is a repro that fails today. When one is fixed, `it.fails` turns red: make it `it`.

async function rawHttp(port: number, request: string): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  socket.end(request)
  let reply = ''
  for await (const piece of socket) reply += String(piece)
  return reply
}

describe('known bugs (see the hardening report)', () => {
  it('BUG-1: a malformed percent-escape in the URL gets an OpenAI-shaped 400', async () => {
    const answer = await send(pool, {
      ...normal,
      method: 'GET',
      path: '/v1/models/%E0%A4%A',
      body: undefined,
      headers: {},
    })
    expect(problemWith({ ...normal, statuses: [400, 404], mention: /url|route|model/i }, answer)).toBeNull()
  })

  it('BUG-2: 10 000 levels of nesting in an unknown field is a 400, not a 502', async () => {
    const body = `{"model":"smartsplit","messages":[{"role":"user","content":"hi"}],"extra":${'['.repeat(10_000)}${']'.repeat(10_000)}}`
    const answer = await send(pool, { ...normal, body: Buffer.from(body) })
    expect(problemWith({ ...normal, statuses: [400], mention: /nest|deep/i }, answer)).toBeNull()
  })

  it('BUG-3: DELETE /v1/models with a JSON content type and no body is a 404, not "body is empty"', async () => {
    const answer = await send(pool, { ...normal, method: 'DELETE', path: '/v1/models', body: undefined })
    expect(problemWith({ ...normal, statuses: [404], mention: /Unknown route/ }, answer)).toBeNull()
  })

  it('BUG-4: oversized request headers get an OpenAI-shaped 431', async () => {
    const port = Number(new URL(smartsplit.url).port)
    const reply = await rawHttp(
      port,
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
    )
    expect(reply).toMatch(/^HTTP\/1\.1 431/)
    expect(reply).toContain('"error":{"message"')
  })

  it('BUG-5: a 20 000-character pinned model id does not break the response headers', async () => {
    const body = JSON.stringify({
      model: `groq/${'m'.repeat(20_000)}`,
      messages: [{ role: 'user', content: 'hi' }],
    })
    const answer = await send(pool, { ...normal, body: Buffer.from(body) })
    expect([200, 400]).toContain(answer.status)
  })

  it('the server still answers after the known bugs', expectNormalRequestServed)
})
