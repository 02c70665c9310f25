import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../errors.js'
import type { ChatRequest, ToolChoice } from '../openai/types.js'
import { type ToAnthropicRequestOptions, toAnthropicRequest } from './to-anthropic-request.js'

const options: ToAnthropicRequestOptions = { model: 'claude-haiku-4-5', defaultMaxTokens: 4096 }

const request = (fields: Partial<ChatRequest>): ChatRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content: 'hi' }],
  ...fields,
})

describe('toAnthropicRequest: golden fixtures', () => {
  for (const name of ['images', 'tool-loop']) {
    it(`translates ${name}.openai.json`, async () => {
      const fixture = JSON.parse(
        await readFile(new URL(`./__fixtures__/${name}.openai.json`, import.meta.url), 'utf8'),
      )
      const anthropic = toAnthropicRequest(fixture.request, fixture.options)
      await expect(`${JSON.stringify(anthropic, null, 2)}\n`).toMatchFileSnapshot(
        `./__fixtures__/${name}.anthropic.json`,
      )
    })
  }
})

describe('toAnthropicRequest', () => {
  it('moves system and developer messages to the top-level system', () => {
    const result = toAnthropicRequest(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
          { role: 'developer', content: [{ type: 'text', text: 'Use French.' }] },
        ],
      }),
      options,
    )
    expect(result.system).toBe('Be brief.\n\nUse French.')
    expect(result.messages).toEqual([{ role: 'user', content: 'hi' }])
  })

  it('maps data URLs to base64 sources and http URLs to url sources', () => {
    const result = toAnthropicRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            ],
          },
        ],
      }),
      options,
    )
    expect(result.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
    ])
  })

  it('turns tool calls into tool_use and consecutive tool messages into one user turn', () => {
    const result = toAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: 'go' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } },
              { id: 'b', type: 'function', function: { name: 'g', arguments: 'not json' } },
            ],
          },
          { role: 'tool', tool_call_id: 'a', content: 'one' },
          { role: 'tool', tool_call_id: 'b', content: 'two' },
          { role: 'user', content: 'and?' },
        ],
      }),
      options,
    )
    expect(result.messages).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'a', name: 'f', input: { x: 1 } },
          { type: 'tool_use', id: 'b', name: 'g', input: { _raw: 'not json' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'a', content: 'one' },
          { type: 'tool_result', tool_use_id: 'b', content: 'two' },
          { type: 'text', text: 'and?' },
        ],
      },
    ])
  })

  it('drops empty turns, merges the neighbours and never starts with the assistant', () => {
    const result = toAnthropicRequest(
      request({
        messages: [
          { role: 'assistant', content: 'Hello, how can I help?' },
          { role: 'user', content: '' },
          { role: 'user', content: [{ type: 'text', text: ' ' }] },
          { role: 'assistant', content: '' },
          { role: 'user', content: 'Tell me a joke' },
          { role: 'user', content: 'about cats' },
        ],
      }),
      options,
    )
    expect(result.messages).toEqual([
      { role: 'user', content: '.' },
      { role: 'assistant', content: 'Hello, how can I help?' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Tell me a joke' },
          { type: 'text', text: 'about cats' },
        ],
      },
    ])
  })

  it('trims trailing whitespace from an assistant prefill', () => {
    const result = toAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: 'JSON please' },
          { role: 'assistant', content: '{ \n' },
        ],
      }),
      options,
    )
    expect(result.messages.at(-1)).toEqual({ role: 'assistant', content: '{' })
  })

  it('always sends max_tokens, clamped to the model ceiling, and always streams', () => {
    expect(toAnthropicRequest(request({}), options)).toMatchObject({ max_tokens: 4096, stream: true })
    expect(
      toAnthropicRequest(request({ max_tokens: 100, max_completion_tokens: 200 }), options).max_tokens,
    ).toBe(200)
    expect(
      toAnthropicRequest(request({ max_tokens: 32000, stream: false }), {
        ...options,
        maxOutputTokens: 8192,
      }),
    ).toMatchObject({ max_tokens: 8192, stream: true })
  })

  it('clamps temperature to [0, 1], keeps top_p alone, maps stop and drops unsupported fields', () => {
    const result = toAnthropicRequest(
      request({ temperature: 1.7, stop: 'END', n: 1, seed: 3, logprobs: true, presence_penalty: 1 }),
      options,
    )
    expect(result).toEqual({
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 4096,
      stream: true,
      temperature: 1,
      stop_sequences: ['END'],
    })
    expect(toAnthropicRequest(request({ top_p: 0.5 }), options).top_p).toBe(0.5)
  })

  it('maps tools, tool_choice and parallel_tool_calls', () => {
    const tools: ChatRequest['tools'] = [
      {
        type: 'function',
        function: {
          name: 'f',
          description: 'does f',
          parameters: { type: 'object', properties: { a: { type: 'string' } } },
        },
      },
    ]
    const base = request({ tools })
    expect(toAnthropicRequest(base, options).tools).toEqual([
      {
        name: 'f',
        description: 'does f',
        input_schema: { type: 'object', properties: { a: { type: 'string' } } },
      },
    ])
    expect(toAnthropicRequest(base, options).tool_choice).toBeUndefined()
    const choices: [ToolChoice, unknown][] = [
      ['auto', { type: 'auto' }],
      ['required', { type: 'any' }],
      ['none', { type: 'none' }],
      [
        { type: 'function', function: { name: 'f' } },
        { type: 'tool', name: 'f' },
      ],
    ]
    for (const [choice, expected] of choices) {
      expect(toAnthropicRequest({ ...base, tool_choice: choice }, options).tool_choice).toEqual(expected)
    }
    expect(toAnthropicRequest({ ...base, parallel_tool_calls: false }, options).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    })
    expect(toAnthropicRequest(request({ tool_choice: 'required' }), options).tool_choice).toBeUndefined()
  })

  it('refuses content Anthropic cannot read, naming the part', () => {
    const audio = request({
      messages: [
        { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] },
      ],
    })
    expect(() => toAnthropicRequest(audio, options)).toThrow(InvalidRequestError)
    expect(() => toAnthropicRequest(audio, options)).toThrow(
      expect.objectContaining({ param: 'messages.0.content.0' }),
    )
  })

  it('sends PDF file parts as document blocks', () => {
    const result = toAnthropicRequest(
      request({
        messages: [
          {
            role: 'user',
            content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0x' } }],
          },
        ],
      }),
      options,
    )
    expect(result.messages[0]?.content).toEqual([
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' } },
    ])
  })
})

describe('toAnthropicRequest, given a huge turn', () => {
  it('merges a user message of 300 000 parts into the turn before it without overflowing the stack', () => {
    const parts = Array.from({ length: 300_000 }, () => ({ type: 'text' as const, text: 'x' }))
    const anthropic = toAnthropicRequest(
      request({
        messages: [
          { role: 'user', content: 'first' },
          { role: 'user', content: parts },
        ],
      }),
      options,
    )
    expect(anthropic.messages).toHaveLength(1)
    expect(anthropic.messages[0]!.content).toHaveLength(300_001)
  })
})

describe('toAnthropicRequest, given a response_format', () => {
  it('sends a json_schema as structured output, in the shape Anthropic accepts', () => {
    const anthropic = toAnthropicRequest(
      request({
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'city',
            strict: true,
            schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          },
        },
      }),
      options,
    )
    expect(anthropic.output_config).toEqual({
      format: {
        type: 'json_schema',
        schema: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
          additionalProperties: false,
        },
      },
    })
    expect(anthropic.system).toBeUndefined()
  })

  it('asks for a JSON object in the system prompt for JSON mode, which Anthropic has no field for', () => {
    const anthropic = toAnthropicRequest(
      request({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hi' },
        ],
        response_format: { type: 'json_object' },
      }),
      options,
    )
    expect(anthropic.output_config).toBeUndefined()
    expect(anthropic.system).toMatch(/^Be brief\.\n\nAnswer with a single valid JSON object/)
  })

  it('sends nothing for type text', () => {
    const anthropic = toAnthropicRequest(request({ response_format: { type: 'text' } }), options)
    expect(anthropic.output_config).toBeUndefined()
    expect(anthropic.system).toBeUndefined()
  })
})
