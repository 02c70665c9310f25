import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../errors.js'
import type { ChatChunk, ChatRequest } from '../openai/types.js'
import { expectGolden, fixtureUrl, readFixture } from './__fixtures__/expect-golden.js'
import { createGeminiStreamTranslator } from './create-gemini-stream-translator.js'
import { SKIP_THOUGHT_SIGNATURE_VALIDATOR } from './skip-thought-signature-validator.js'
import { toGeminiRequest } from './to-gemini-request.js'
import type { GeminiFunctionCallPart } from './types.js'

function readRequest(name: string): ChatRequest {
  return JSON.parse(readFixture(`${name}.request.json`)) as ChatRequest
}

function request(messages: ChatRequest['messages'], extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'gemini-2.5-flash', messages, ...extra }
}

describe('toGeminiRequest goldens', () => {
  for (const name of ['tool-loop', 'nasty-schemas', 'images']) {
    it(`translates ${name}.request.json like its golden`, () => {
      const { body } = toGeminiRequest(readRequest(name), { maxOutputTokens: 8192 })
      expectGolden(fixtureUrl(`${name}.gemini.json`), body)
    })
  }
})

describe('toGeminiRequest', () => {
  it('names each functionResponse after its call, wraps non-objects and shares one user turn', () => {
    const { body } = toGeminiRequest(readRequest('tool-loop'), {})
    expect(body.contents.map((c) => c.role)).toEqual(['user', 'model', 'user', 'user'])
    expect(body.contents[2]?.parts).toEqual([
      {
        functionResponse: {
          name: 'Read',
          response: { name: 'app', version: '1.2.0', engines: { node: '>=20' } },
        },
      },
      { functionResponse: { name: 'Bash', response: { result: 'v20.18.1\n' } } },
    ])
  })

  it('clamps max tokens to the model ceiling and maps the sampling fields', () => {
    const { body } = toGeminiRequest(
      request([{ role: 'user', content: 'hi' }], {
        max_tokens: 32000,
        temperature: 0.3,
        top_p: 0.5,
        stop: 'END',
        seed: 7,
      }),
      { maxOutputTokens: 8192 },
    )
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 8192,
      temperature: 0.3,
      topP: 0.5,
      stopSequences: ['END'],
      seed: 7,
    })
  })

  it('maps every tool_choice', () => {
    const tools: ChatRequest['tools'] = [
      {
        type: 'function',
        function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } },
      },
    ]
    const modeOf = (tool_choice: ChatRequest['tool_choice']) =>
      toGeminiRequest(
        request([{ role: 'user', content: 'x' }], { tools, ...(tool_choice ? { tool_choice } : {}) }),
        {},
      ).body.toolConfig
    expect(modeOf(undefined)).toBeUndefined()
    expect(modeOf('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } })
    expect(modeOf('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } })
    expect(modeOf('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } })
    expect(modeOf({ type: 'function', function: { name: 'f' } })).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] },
    })
  })

  it('json_object asks for JSON without a schema', () => {
    const { body } = toGeminiRequest(
      request([{ role: 'user', content: 'x' }], { response_format: { type: 'json_object' } }),
      {},
    )
    expect(body.generationConfig).toEqual({ responseMimeType: 'application/json' })
  })

  it('refuses a tool result whose call it cannot find (Gemini needs the function name)', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: 'x' },
      { role: 'tool', tool_call_id: 'call_unknown', content: 'y' },
    ]
    expect(() => toGeminiRequest(request(messages), {})).toThrow(InvalidRequestError)
  })

  it('signs unsigned calls (history from another provider) only when told to, and only the first of a step', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'toolu_01', type: 'function', function: { name: 'f', arguments: '{}' } },
          { id: 'toolu_02', type: 'function', function: { name: 'f', arguments: '' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_01', content: '1' },
      { role: 'tool', tool_call_id: 'toolu_02', content: '2' },
    ]
    const plain = toGeminiRequest(request(messages), {}).body.contents[1]?.parts
    expect(plain).toEqual([
      { text: 'Checking.' },
      { functionCall: { name: 'f', args: {} } },
      { functionCall: { name: 'f', args: {} } },
    ])
    const signed = toGeminiRequest(request(messages), {
      fallbackThoughtSignature: SKIP_THOUGHT_SIGNATURE_VALIDATOR,
    })
    const calls = signed.body.contents[1]?.parts.slice(1) as GeminiFunctionCallPart[]
    expect(calls.map((c) => c.thoughtSignature)).toEqual([SKIP_THOUGHT_SIGNATURE_VALIDATOR, undefined])
  })

  it('reads the signature from extra_content.google, the field Google’s own OpenAI endpoint uses', () => {
    const messages = [
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'f', arguments: '{"a":1}' },
            extra_content: { google: { thought_signature: 'c2ln' } },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '[1,2]' },
    ] as ChatRequest['messages']
    const { body } = toGeminiRequest(request(messages), {})
    expect(body.contents[1]?.parts).toEqual([
      { functionCall: { name: 'f', args: { a: 1 } }, thoughtSignature: 'c2ln' },
    ])
    expect(body.contents[2]?.parts).toEqual([
      { functionResponse: { name: 'f', response: { result: [1, 2] } } },
    ])
  })

  it('accepts a file part as bare base64 named by its filename', () => {
    const messages: ChatRequest['messages'] = [
      {
        role: 'user',
        content: [{ type: 'file', file: { filename: 'notes.pdf', file_data: 'JVBERi0xLjQK' } }],
      },
    ]
    expect(toGeminiRequest(request(messages), {}).body.contents[0]?.parts).toEqual([
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0xLjQK' } },
    ])
  })

  it('refuses content parts Gemini cannot take rather than dropping them', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: [{ type: 'video_url', video_url: { url: 'x' } }] },
    ]
    expect(() => toGeminiRequest(request(messages), {})).toThrow(InvalidRequestError)
  })
})

/** Serves canonical chunks to the OpenAI SDK as an OpenAI SSE stream, and records what the SDK sends. */
function sdkWith(chunks: ChatChunk[], sentBodies: unknown[]): OpenAI {
  const sse = `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`
  return new OpenAI({
    apiKey: 'test',
    baseURL: 'http://smartsplit.invalid/v1',
    fetch: async (_url, init) => {
      sentBodies.push(JSON.parse(String(init?.body)))
      return new Response(sse, { headers: { 'content-type': 'text/event-stream' } })
    },
  })
}

describe('thought signatures across a client round trip', () => {
  it('survive the OpenAI SDK accumulating the stream and sending the assistant turn back', async () => {
    // 1. Gemini 3 answers with a signed call; SmartSplit translates it to canonical chunks.
    let counter = 0
    const translator = createGeminiStreamTranslator({
      includeUsage: false,
      candidateCount: 1,
      id: 'chatcmpl-1',
      created: 1,
      model: 'gemini-3-flash-preview',
      newToolCallId: () => `call_${++counter}abc`,
    })
    const chunks: ChatChunk[] = []
    for (const data of readFixture('function-call.sse.txt').split('\r\n\r\n')) {
      if (data.startsWith('data: '))
        chunks.push(...translator.push({ event: undefined, data: data.slice(6) }))
    }
    chunks.push(...translator.finish())

    // 2. A client built on openai-node streams it and keeps the assistant message it accumulated.
    const sent: unknown[] = []
    const client = sdkWith(chunks, sent)
    const stream = client.chat.completions.stream({
      model: 'gemini-3-flash-preview',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    })
    const assistant = await stream.finalMessage()
    // Strict clients rebuild tool calls from the documented fields only: do the same.
    const rebuilt = (assistant.tool_calls ?? []).map((c) => ({
      id: c.id,
      type: 'function' as const,
      function: {
        name: c.type === 'function' ? c.function.name : '',
        arguments: c.type === 'function' ? c.function.arguments : '',
      },
    }))

    // 3. The next turn goes out through the SDK; SmartSplit receives exactly what it sent.
    await client.chat.completions.create({
      model: 'gemini-3-flash-preview',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: rebuilt },
        { role: 'tool', tool_call_id: rebuilt[0]?.id ?? '', content: '{"temp_c":21}' },
      ],
    })
    const { body } = toGeminiRequest(sent[1] as ChatRequest, {})

    // 4. Gemini gets its signature back, byte for byte, on the call it signed.
    expect(body.contents[1]).toEqual({
      role: 'model',
      parts: [
        {
          functionCall: { name: 'get_weather', args: { city: 'Paris', unit: 'celsius' } },
          thoughtSignature:
            'dCKBlxf4rjrRcxBqa5q1hQ62R54hbE2nU1UIyQxSt2ogWgeagz3rxQzSI01emlW9kcawNt61hWkedkwgUg1hVQWyhlp2DxcWa9h7V2WrLTPzWtuj9lDip+qix/Zxqy/c',
        },
      ],
    })
    expect(body.contents[2]?.parts).toEqual([
      { functionResponse: { name: 'get_weather', response: { temp_c: 21 } } },
    ])
  })
})
