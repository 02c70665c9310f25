import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createGeminiStreamTranslator } from '../../src/wire/gemini/create-gemini-stream-translator.js'
import { parseGeminiError } from '../../src/wire/gemini/parse-gemini-error.js'
import { SKIP_THOUGHT_SIGNATURE_VALIDATOR } from '../../src/wire/gemini/skip-thought-signature-validator.js'
import { toGeminiRequest } from '../../src/wire/gemini/to-gemini-request.js'
import type { ChatChunk, ChatRequest, ToolCall } from '../../src/wire/openai/types.js'
import { readSseEvents } from '../../src/wire/sse.js'
import { type FakeGemini, startFakeGemini } from './fake-gemini.js'

const KEY = 'test-gemini-key'
let gemini: FakeGemini

beforeEach(async () => {
  gemini = await startFakeGemini()
})
afterEach(async () => {
  await gemini.close()
})

function post(model: string, body: unknown, init: { stream?: boolean; key?: string | null } = {}) {
  const action = init.stream === false ? 'generateContent' : 'streamGenerateContent?alt=sse'
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (init.key !== null) headers['x-goog-api-key'] = init.key ?? KEY
  return fetch(`${gemini.url}/v1beta/models/${model}:${action}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  })
}

/** What a Gemini adapter does with a 200: SSE events through the translator. */
async function translate(response: Response): Promise<ChatChunk[]> {
  let n = 0
  const translator = createGeminiStreamTranslator({
    includeUsage: true,
    candidateCount: 1,
    id: 'c',
    created: 1,
    model: 'm',
    newToolCallId: () => `call_${++n}`,
  })
  const chunks: ChatChunk[] = []
  const body = response.body as unknown as AsyncIterable<Uint8Array>
  for await (const event of readSseEvents(body)) chunks.push(...translator.push(event))
  chunks.push(...translator.finish())
  return chunks
}

const hello = { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }

describe('fake Gemini', () => {
  it('refuses calls without a key (403) and with a bad key (400 API_KEY_INVALID), like Google', async () => {
    const anonymous = await post('gemini-2.5-flash', hello, { key: null })
    expect(anonymous.status).toBe(403)
    expect(parseGeminiError(403, {}, await anonymous.text()).kind).toBe('auth')
    const wrong = await post('gemini-2.5-flash', hello, { key: 'nope' })
    expect(wrong.status).toBe(400)
    expect(parseGeminiError(400, {}, await wrong.text()).kind).toBe('auth')
    const viaQuery = await fetch(`${gemini.url}/v1beta/models/gemini-2.5-flash:generateContent?key=${KEY}`, {
      method: 'POST',
      body: JSON.stringify(hello),
    })
    expect(viaQuery.status).toBe(200)
  })

  it('streams with \\r\\n framing, cumulative usage, finishReason last and no [DONE]', async () => {
    gemini.respondWith({ type: 'text', chunks: ['Hello', ' world'] })
    const response = await post('gemini-2.5-flash', hello)
    const raw = await response.clone().text()
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(raw.split('\r\n\r\n').filter(Boolean)).toHaveLength(2)
    expect(raw).not.toContain('[DONE]')
    const events = raw
      .split('\r\n\r\n')
      .filter(Boolean)
      .map((e) => JSON.parse(e.slice('data: '.length)))
    expect(events[0].candidates[0].finishReason).toBeUndefined()
    expect(events[1].candidates[0].finishReason).toBe('STOP')
    expect(events[1].usageMetadata.totalTokenCount).toBeGreaterThan(events[0].usageMetadata.totalTokenCount)
    const chunks = await translate(response)
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello world')
    expect(gemini.requests[0]).toMatchObject({ model: 'gemini-2.5-flash', isStream: true, body: hello })
    expect(gemini.requests[0]?.headers['x-goog-api-key']).toBe(KEY)
  })

  it('answers generateContent with one JSON body', async () => {
    gemini.respondWith({ type: 'text', chunks: ['A', 'B'], finishReason: 'MAX_TOKENS' })
    const body = (await (await post('gemini-2.5-flash', hello, { stream: false })).json()) as {
      candidates: unknown[]
    }
    expect(body.candidates[0]).toMatchObject({
      content: { parts: [{ text: 'A' }, { text: 'B' }], role: 'model' },
      finishReason: 'MAX_TOKENS',
    })
  })

  it('frames a streamed answer as a JSON array or one object when the script says so', async () => {
    gemini.respondWith(
      { type: 'text', chunks: ['A', 'B'], framing: 'json-array' },
      { type: 'text', chunks: ['C', 'D'], framing: 'json-object' },
    )
    const array = await post('gemini-2.5-flash', hello)
    expect(array.headers.get('content-type')).toBe('application/json; charset=UTF-8')
    const events = (await array.json()) as { candidates: { content: { parts: { text: string }[] } }[] }[]
    expect(events.map((event) => event.candidates[0]?.content.parts[0]?.text)).toEqual(['A', 'B'])
    const single = (await (await post('gemini-2.5-flash', hello)).json()) as { candidates: unknown[] }
    expect(single.candidates[0]).toMatchObject({ content: { parts: [{ text: 'C' }, { text: 'D' }] } })
  })

  it('refuses the raw MCP schemas and accepts them once toGeminiRequest sanitized them', async () => {
    const request = JSON.parse(
      readFileSync(
        new URL('../../src/wire/gemini/__fixtures__/nasty-schemas.request.json', import.meta.url),
        'utf8',
      ),
    ) as ChatRequest
    const raw = {
      ...hello,
      tools: [
        {
          functionDeclarations: request.tools?.map((t) => ({
            name: t.function.name,
            parameters: t.function.parameters,
          })),
        },
      ],
    }
    const refused = await post('gemini-2.5-flash', raw)
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('Unknown name \\"additionalProperties\\"')
    const accepted = await post('gemini-2.5-flash', toGeminiRequest(request, {}).body)
    expect(accepted.status).toBe(200)
  })

  it('refuses bad roles, empty contents and nameless function responses', async () => {
    expect((await post('gemini-2.5-flash', { contents: [] })).status).toBe(400)
    expect(
      (await post('gemini-2.5-flash', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] })).status,
    ).toBe(400)
    const nameless = { contents: [{ role: 'user', parts: [{ functionResponse: { response: { a: 1 } } }] }] }
    expect(await (await post('gemini-2.5-flash', nameless)).text()).toContain('Name cannot be empty')
  })

  it('runs a Gemini 3 tool loop end to end: the signature survives the canonical round trip', async () => {
    const tools: ChatRequest['tools'] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ]
    const first: ChatRequest = {
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }],
      tools,
    }
    gemini.respondWith({
      type: 'functionCalls',
      calls: [
        { name: 'get_weather', args: { city: 'Paris' } },
        { name: 'get_weather', args: { city: 'Rome' } },
      ],
    })
    const chunks = await translate(await post('gemini-3-flash-preview', toGeminiRequest(first, {}).body))
    const calls: ToolCall[] = chunks
      .flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
      .map((d) => ({
        id: d.id ?? '',
        type: 'function',
        function: { name: d.function?.name ?? '', arguments: d.function?.arguments ?? '' },
      }))
    expect(calls).toHaveLength(2)

    const next: ChatRequest = {
      ...first,
      messages: [
        ...first.messages,
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', tool_call_id: calls[0]?.id ?? '', content: '{"temp_c":21}' },
        { role: 'tool', tool_call_id: calls[1]?.id ?? '', content: 'sunny' },
      ],
    }
    expect((await post('gemini-3-flash-preview', toGeminiRequest(next, {}).body)).status).toBe(200)

    // The same history with ids another provider invented: refused, unless the skip sentinel is sent.
    const foreign = {
      ...next,
      messages: next.messages.map((m) =>
        m.role === 'assistant'
          ? { ...m, tool_calls: calls.map((c, i) => ({ ...c, id: `toolu_${i}` })) }
          : m.role === 'tool'
            ? { ...m, tool_call_id: `toolu_${next.messages.indexOf(m) - 2}` }
            : m,
      ),
    } as ChatRequest
    const refused = await post('gemini-3-flash-preview', toGeminiRequest(foreign, {}).body)
    expect(refused.status).toBe(400)
    expect(await refused.text()).toContain('missing a thought_signature')
    const rescued = await post(
      'gemini-3-flash-preview',
      toGeminiRequest(foreign, { fallbackThoughtSignature: SKIP_THOUGHT_SIGNATURE_VALIDATOR }).body,
    )
    expect(rescued.status).toBe(200)
  })

  it('answers 429 per minute and per day with RetryInfo bodies and no rate-limit headers', async () => {
    gemini.respondWith({ type: 'rateLimit', window: 'minute' }, { type: 'rateLimit', window: 'day' })
    const minute = await post('gemini-2.5-flash', hello)
    expect(minute.status).toBe(429)
    expect([...minute.headers.keys()].filter((h) => /retry|ratelimit/i.test(h))).toEqual([])
    expect(parseGeminiError(429, {}, await minute.text())).toMatchObject({
      kind: 'rate_limit',
      quotaKind: 'minute',
      retryAfterMs: 45_838,
    })
    const day = await post('gemini-2.5-flash', hello)
    expect(parseGeminiError(429, {}, await day.text())).toMatchObject({ kind: 'quota', quotaKind: 'day' })
  })

  it('fails on demand: 503, and a stream cut before its finishReason', async () => {
    gemini.respondWith(
      {
        type: 'error',
        status: 503,
        googleStatus: 'UNAVAILABLE',
        message: 'The model is overloaded. Please try again later.',
      },
      { type: 'text', chunks: ['a', 'b', 'c'], dropAfterEvents: 1 },
    )
    const overloaded = await post('gemini-2.5-flash', hello)
    expect(parseGeminiError(overloaded.status, {}, await overloaded.text()).kind).toBe('overloaded')
    const cut = await post('gemini-2.5-flash', hello)
    expect(cut.status).toBe(200)
    await expect(translate(cut)).rejects.toThrow()
  })

  it('answers 404 for unknown models, as JSON even on the SSE route', async () => {
    const strict = await startFakeGemini({ models: ['gemini-2.5-flash'] })
    try {
      const response = await fetch(
        `${strict.url}/v1beta/models/gemini-1.0-pro:streamGenerateContent?alt=sse`,
        {
          method: 'POST',
          headers: { 'x-goog-api-key': KEY },
          body: JSON.stringify(hello),
        },
      )
      expect(response.status).toBe(404)
      // "models/x is not found": the model is gone for this provider (routed to its next one).
      expect(parseGeminiError(404, {}, await response.text()).kind).toBe('model_retired')
    } finally {
      await strict.close()
    }
  })
})
