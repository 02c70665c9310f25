import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fromResponsesRequest } from './from-responses-request.js'
import { parseResponsesRequest } from './parse-responses-request.js'

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'))

const translate = (body: Record<string, unknown>) =>
  fromResponsesRequest(parseResponsesRequest({ model: 'smartsplit', ...body }))

describe('fromResponsesRequest', () => {
  it('translates a Codex tool-loop request (golden)', () => {
    const chat = fromResponsesRequest(parseResponsesRequest(fixture('codex-tool-loop.responses.json')))
    expect(chat).toEqual(fixture('codex-tool-loop.chat.json'))
  })

  it('turns a string input and instructions into system + user', () => {
    expect(
      translate({ input: 'Hi', instructions: 'Be brief.', max_output_tokens: 64, temperature: 0.2 }),
    ).toEqual({
      model: 'smartsplit',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 64,
      temperature: 0.2,
    })
  })

  it('keeps images as image_url parts and moves tool-output images to a user message', () => {
    const chat = translate({
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
          ],
        },
        { type: 'function_call', call_id: 'c1', name: 'screenshot', arguments: '{}' },
        {
          type: 'function_call_output',
          call_id: 'c1',
          output: [
            { type: 'input_text', text: 'captured' },
            { type: 'input_image', image_url: 'https://example.com/s.png', detail: 'auto' },
          ],
        },
      ],
    })
    expect(chat.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'screenshot', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'captured' },
      {
        role: 'user',
        content: [{ type: 'image_url', image_url: { url: 'https://example.com/s.png', detail: 'auto' } }],
      },
    ])
  })

  it('maps text.format, tool_choice and allowed_tools', () => {
    const tools = [
      { type: 'function', name: 'a', parameters: { type: 'object' } },
      { type: 'function', name: 'b', description: 'B', strict: true, parameters: null },
      { type: 'file_search', vector_store_ids: ['vs_1'] },
    ]
    const schema = { type: 'object', properties: { x: { type: 'number' } } }
    const chat = translate({
      input: 'x',
      tools,
      tool_choice: { type: 'function', name: 'b' },
      text: { format: { type: 'json_schema', name: 'out', schema, strict: true } },
    })
    expect(chat.tools).toEqual([
      { type: 'function', function: { name: 'a', parameters: { type: 'object' } } },
      { type: 'function', function: { name: 'b', description: 'B', strict: true } },
    ])
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'b' } })
    expect(chat.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'out', schema, strict: true },
    })
    const allowed = translate({
      input: 'x',
      tools,
      tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'a' }] },
      text: { format: { type: 'json_object' } },
    })
    expect(allowed.tools?.map((tool) => tool.function.name)).toEqual(['a'])
    expect(allowed.tool_choice).toBe('required')
    expect(allowed.response_format).toEqual({ type: 'json_object' })
  })

  it('sends no tool fields when only hosted tools were declared', () => {
    const chat = translate({ input: 'x', tools: [{ type: 'web_search' }], parallel_tool_calls: true })
    expect(chat).not.toHaveProperty('tools')
    expect(chat).not.toHaveProperty('parallel_tool_calls')
  })

  it('does not forward Responses-only fields upstream', () => {
    const chat = translate({
      input: 'x',
      store: true,
      metadata: { a: 'b' },
      reasoning: { effort: 'high' },
      include: [],
      service_tier: 'auto',
      user: 'u1',
    })
    expect(Object.keys(chat).sort()).toEqual(['messages', 'model'])
  })
})

describe('fromResponsesRequest, given a very long input', () => {
  it('translates 300 000 items without overflowing the stack, calls joined in linear time', () => {
    const input = Array.from({ length: 300_000 }, (_, index) =>
      index % 2 === 0
        ? { type: 'message' as const, role: 'user' as const, content: `question ${index}` }
        : { type: 'function_call' as const, call_id: `call_${index}`, name: 'f', arguments: '{}' },
    )
    const chat = fromResponsesRequest(parseResponsesRequest({ model: 'smartsplit', input }))
    expect(chat.messages).toHaveLength(300_000)
  })
})
