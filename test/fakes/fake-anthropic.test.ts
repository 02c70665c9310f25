import { readFile } from 'node:fs/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UpstreamError } from '../../src/errors.js'
import { ManualClock } from '../../src/lib/clock.js'
import { createAnthropicStreamTranslator } from '../../src/wire/anthropic/create-anthropic-stream-translator.js'
import { fromAnthropicRequest } from '../../src/wire/anthropic/from-anthropic-request.js'
import { parseAnthropicError } from '../../src/wire/anthropic/parse-anthropic-error.js'
import { parseAnthropicRequest } from '../../src/wire/anthropic/parse-anthropic-request.js'
import { readAnthropicRateLimits } from '../../src/wire/anthropic/read-anthropic-rate-limits.js'
import { toAnthropicRequest } from '../../src/wire/anthropic/to-anthropic-request.js'
import type { ChatChunk } from '../../src/wire/openai/types.js'
import { readSseEvents } from '../../src/wire/sse.js'
import { type FakeAnthropic, startFakeAnthropic } from './fake-anthropic.js'

const HEADERS = {
  'x-api-key': 'sk-ant-test',
  'anthropic-version': '2023-06-01',
  'content-type': 'application/json',
}
const MINIMAL = { model: 'claude-x', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }

let fake: FakeAnthropic
let clock: ManualClock

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'))
  fake = await startFakeAnthropic({ clock })
})
afterEach(async () => {
  await fake.close()
})

function post(body: unknown, headers: Record<string, string> = HEADERS): Promise<Response> {
  return fetch(`${fake.url}/messages`, { method: 'POST', headers, body: JSON.stringify(body) })
}

async function errorOf(response: Response): Promise<{ status: number; type: string; message: string }> {
  const body = (await response.json()) as { type: string; error: { type: string; message: string } }
  expect(body.type).toBe('error')
  return { status: response.status, type: body.error.type, message: body.error.message }
}

async function translate(response: Response): Promise<ChatChunk[]> {
  const translator = createAnthropicStreamTranslator({ includeUsage: true, created: 1 })
  const chunks: ChatChunk[] = []
  for await (const event of readSseEvents(response.body!)) chunks.push(...translator.push(event))
  return [...chunks, ...translator.finish()]
}

describe('startFakeAnthropic: validation like the real API', () => {
  it('answers 401 without x-api-key and 400 without anthropic-version or max_tokens', async () => {
    const { 'x-api-key': _key, ...noKey } = HEADERS
    expect(await errorOf(await post(MINIMAL, noKey))).toMatchObject({
      status: 401,
      type: 'authentication_error',
    })
    const { 'anthropic-version': _version, ...noVersion } = HEADERS
    expect(await errorOf(await post(MINIMAL, noVersion))).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
    })
    const { max_tokens: _max, ...noMax } = MINIMAL
    expect(await errorOf(await post(noMax))).toMatchObject({
      status: 400,
      message: 'max_tokens: Field required',
    })
  })

  it('rejects system roles, empty text, broken tool pairing, non-alternating roles and OpenAI fields', async () => {
    const cases: [unknown[], string][] = [
      [[{ role: 'system', content: 'x' }], 'role'],
      [[{ role: 'user', content: [{ type: 'text', text: ' ' }] }], 'non-whitespace'],
      [[{ role: 'user', content: '' }], 'non-empty content'],
      [
        [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'r' }] },
        ],
        'corresponding `tool_use`',
      ],
      [
        [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] },
          { role: 'user', content: 'no results' },
        ],
        'without `tool_result`',
      ],
      [
        [
          { role: 'user', content: 'a' },
          { role: 'user', content: 'b' },
        ],
        'alternate',
      ],
    ]
    for (const [messages, fragment] of cases) {
      const rejection = await errorOf(await post({ ...MINIMAL, messages }))
      expect(rejection.status).toBe(400)
      expect(rejection.message).toContain(fragment)
    }
    expect((await errorOf(await post({ ...MINIMAL, n: 1 }))).message).toBe(
      'n: Extra inputs are not permitted',
    )
    expect(fake.requests.map((r) => r.status).every((status) => status === 400)).toBe(true)
  })

  it('accepts what toAnthropicRequest builds from a full tool loop and from a Claude Code body', async () => {
    const loop = JSON.parse(
      await readFile(
        new URL('../../src/wire/anthropic/__fixtures__/tool-loop.openai.json', import.meta.url),
        'utf8',
      ),
    )
    const claudeCode = JSON.parse(
      await readFile(
        new URL('../../src/wire/anthropic/__fixtures__/claude-code.anthropic.json', import.meta.url),
        'utf8',
      ),
    )
    const bodies = [
      toAnthropicRequest(loop.request, loop.options),
      toAnthropicRequest(fromAnthropicRequest(parseAnthropicRequest(claudeCode)), {
        model: 'claude-x',
        defaultMaxTokens: 1024,
      }),
    ]
    for (const body of bodies) {
      const response = await post(body)
      expect(response.status, await response.clone().text()).toBe(200)
      await translate(response)
    }
  })

  it('refuses structured output outside the subset Anthropic accepts, and accepts a closed schema', async () => {
    const withSchema = (schema: unknown) => ({
      ...MINIMAL,
      output_config: { format: { type: 'json_schema', schema } },
    })
    const open = { type: 'object', properties: { a: { type: 'string' } } }
    const refusals: [unknown, string][] = [
      [withSchema(open), "'additionalProperties' must be explicitly set to false"],
      [withSchema({ ...open, additionalProperties: true }), "'additionalProperties: true' is not supported"],
      [
        withSchema({
          type: 'object',
          properties: { n: { type: 'integer', minimum: 1 } },
          additionalProperties: false,
        }),
        "'minimum' is not supported",
      ],
      [{ ...MINIMAL, output_config: { format: { type: 'json_object' } } }, "Input should be 'json_schema'"],
      [
        { ...MINIMAL, output_config: { format: { type: 'json_schema', name: 'x', schema: open } } },
        'name: Extra',
      ],
      [{ ...MINIMAL, response_format: { type: 'json_object' } }, 'response_format: Extra inputs'],
    ]
    for (const [body, fragment] of refusals) {
      const rejection = await errorOf(await post(body))
      expect(rejection.status).toBe(400)
      expect(rejection.message).toContain(fragment)
    }
    const closed = withSchema({ ...open, additionalProperties: false })
    expect((await post(closed)).status).toBe(200)
  })
})

describe('startFakeAnthropic: replies', () => {
  it('streams text with real SSE framing, pings and no [DONE], and records the request', async () => {
    fake.script({ kind: 'text', text: 'Hello there, streaming world.' })
    const response = await post({ ...MINIMAL, stream: true })
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const raw = await response.text()
    expect(raw.startsWith('event: message_start\ndata: {')).toBe(true)
    expect(raw).toContain('event: ping\n')
    expect(raw.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true)
    expect(raw).not.toContain('[DONE]')
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/messages',
      status: 200,
      body: { ...MINIMAL, stream: true },
    })
    expect(fake.requests[0]?.headers['anthropic-version']).toBe('2023-06-01')
  })

  it('streams a scripted tool call that the translator rebuilds exactly', async () => {
    const input = { city: 'Zürich', filters: { days: [1, 2], note: 'say "hi"' } }
    fake.script({
      kind: 'tool_use',
      text: 'Checking.',
      calls: [{ id: 'toolu_x', name: 'get_weather', input }],
    })
    const chunks = await translate(await post({ ...MINIMAL, stream: true }))
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
    expect(calls[0]).toMatchObject({
      index: 0,
      id: 'toolu_x',
      function: { name: 'get_weather', arguments: '' },
    })
    expect(JSON.parse(calls.map((call) => call.function?.arguments ?? '').join(''))).toEqual(input)
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'tool_calls')).toBe(true)
  })

  it('answers JSON when stream is false, then falls back to respondWith', async () => {
    fake.respondWith({ kind: 'text', text: 'Default.', stopReason: 'max_tokens' })
    const body = (await (await post(MINIMAL)).json()) as Record<string, unknown>
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Default.' }],
      stop_reason: 'max_tokens',
    })
  })

  it('answers 429 with retry-after and RFC 3339 rate-limit resets', async () => {
    fake.script({ kind: 'rate_limit', retryAfterSeconds: 20, resetInMs: 30_000 })
    const response = await post(MINIMAL)
    const headers = Object.fromEntries(response.headers)
    expect(headers['anthropic-ratelimit-requests-reset']).toBe('2026-01-01T00:00:30Z')
    const error = parseAnthropicError(response.status, headers, await response.text(), clock.nowMs())
    expect(error).toMatchObject({ kind: 'rate_limit', retryAfterMs: 20_000, upstreamStatus: 429 })
    expect(readAnthropicRateLimits(headers, clock.nowMs())).toMatchObject({
      requestsRemaining: 0,
      requestsResetMs: 30_000,
    })
  })

  it('answers 529 overloaded and 402 billing', async () => {
    fake.script({ kind: 'overloaded' }, { kind: 'billing' })
    for (const kind of ['overloaded', 'billing']) {
      const response = await post(MINIMAL)
      const error = parseAnthropicError(
        response.status,
        Object.fromEntries(response.headers),
        await response.text(),
        0,
      )
      expect(error.kind).toBe(kind)
    }
  })

  it('answers a whole JSON message to stream: true when told to, and raw bytes as given', async () => {
    fake.script(
      { kind: 'text', text: 'Whole.', framing: 'json' },
      { kind: 'raw', status: 200, contentType: 'application/json', body: '{"type":"error"}' },
    )
    const whole = await post({ ...MINIMAL, stream: true })
    expect(whole.headers.get('content-type')).toBe('application/json')
    expect(await whole.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'Whole.' }] })
    const raw = await post({ ...MINIMAL, stream: true })
    expect([raw.status, await raw.text()]).toEqual([200, '{"type":"error"}'])
  })

  it('sends an error event after a 200', async () => {
    fake.script({ kind: 'midstream_error', text: 'Half an ans' })
    const response = await post({ ...MINIMAL, stream: true })
    expect(response.status).toBe(200)
    await expect(translate(response)).rejects.toThrow(UpstreamError)
  })
})
