import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { fromAnthropicRequest } from './from-anthropic-request.js'
import { parseAnthropicRequest } from './parse-anthropic-request.js'
import type { AnthropicMessagesRequest } from './types.js'

const base: AnthropicMessagesRequest = {
  model: 'claude-x',
  max_tokens: 50,
  messages: [{ role: 'user', content: 'hi' }],
}

describe('fromAnthropicRequest', () => {
  it('translates a Claude Code body (golden)', async () => {
    const body = JSON.parse(
      await readFile(new URL('./__fixtures__/claude-code.anthropic.json', import.meta.url), 'utf8'),
    )
    const chat = fromAnthropicRequest(parseAnthropicRequest(body))
    await expect(`${JSON.stringify(chat, null, 2)}\n`).toMatchFileSnapshot(
      './__fixtures__/claude-code.openai.json',
    )
  })

  it('joins system turns to the leading system message, without the billing header, breakpoint last', () => {
    const chat = fromAnthropicRequest({
      ...base,
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197.35c; cc_entrypoint=sdk-cli;' },
        { type: 'text', text: 'You are an agent.', cache_control: { type: 'ephemeral' } },
      ],
      messages: [
        { role: 'user', content: 'go' },
        { role: 'system', content: [{ type: 'text', text: 'Agents: claude, Explore.' }] },
        { role: 'assistant', content: 'ok' },
        { role: 'system', content: 'Be brief.' },
      ],
    })
    expect(chat.messages).toEqual([
      {
        role: 'system',
        content: 'You are an agent.\n\nAgents: claude, Explore.\n\nBe brief.',
        cache_control: { type: 'ephemeral' },
      },
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'ok' },
    ])
  })

  it('asks for the json_schema of output_config.format (or the beta output_format), nothing else', () => {
    const schema = { type: 'object', properties: { title: { type: 'string' } } }
    const expected = { type: 'json_schema', json_schema: { name: 'output', schema } }
    const format = { type: 'json_schema', schema }
    expect(fromAnthropicRequest({ ...base, output_config: { format } }).response_format).toEqual(expected)
    expect(fromAnthropicRequest({ ...base, output_format: format }).response_format).toEqual(expected)
    expect(fromAnthropicRequest({ ...base, output_config: { effort: 'high' } })).not.toHaveProperty(
      'response_format',
    )
  })

  it('puts tool results first, in order, then the rest of the user turn', () => {
    const chat = fromAnthropicRequest({
      ...base,
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Running.' },
            { type: 'tool_use', id: 't1', name: 'a', input: { x: [1, 2] } },
            { type: 'tool_use', id: 't2', name: 'b', input: {} },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'note' },
            { type: 'tool_result', tool_use_id: 't1', content: 'r1' },
            {
              type: 'tool_result',
              tool_use_id: 't2',
              content: [{ type: 'text', text: 'bad' }],
              is_error: true,
            },
          ],
        },
      ],
    })
    expect(chat.messages).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: 'Running.',
        tool_calls: [
          { id: 't1', type: 'function', function: { name: 'a', arguments: '{"x":[1,2]}' } },
          { id: 't2', type: 'function', function: { name: 'b', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 't1', content: 'r1' },
      { role: 'tool', tool_call_id: 't2', content: 'Error: bad' },
      { role: 'user', content: 'note' },
    ])
  })

  it('maps parameters and tool_choice', () => {
    const tools = [{ name: 'f', input_schema: { type: 'object' } }]
    const chat = fromAnthropicRequest({
      ...base,
      system: 'sys',
      stop_sequences: ['###'],
      temperature: 0.3,
      top_p: 0.8,
      top_k: 5,
      stream: true,
      tools,
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    })
    expect(chat).toEqual({
      model: 'claude-x',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
      ],
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      top_p: 0.8,
      stop: ['###'],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
    })
    expect(
      fromAnthropicRequest({ ...base, tools, tool_choice: { type: 'tool', name: 'f' } }).tool_choice,
    ).toEqual({
      type: 'function',
      function: { name: 'f' },
    })
    expect(fromAnthropicRequest({ ...base, tools, tool_choice: { type: 'none' } }).tool_choice).toBe('none')
    expect(fromAnthropicRequest({ ...base, stream: false })).toEqual({
      ...fromAnthropicRequest(base),
      stream: false,
    })
  })

  it('turns images into data URLs and moves tool-result images after the tool messages', () => {
    const chat = fromAnthropicRequest({
      ...base,
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'shot', input: {} }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't',
              content: [
                { type: 'text', text: 'screenshot:' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } },
              ],
            },
          ],
        },
      ],
    })
    expect(chat.messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 't', content: 'screenshot:' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } }] },
    ])
  })
})

describe('fromAnthropicRequest, given a huge turn', () => {
  it('translates a turn of 300 000 tool results without overflowing the stack', () => {
    const content = Array.from({ length: 300_000 }, (_, index) => ({
      type: 'tool_result' as const,
      tool_use_id: `toolu_${index}`,
      content: 'ok',
    }))
    const chat = fromAnthropicRequest({ ...base, messages: [{ role: 'user', content }] })
    expect(chat.messages).toHaveLength(300_000)
  })
})
