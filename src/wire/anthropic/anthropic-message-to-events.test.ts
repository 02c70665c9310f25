import { describe, expect, it } from 'vitest'
import { UpstreamError } from '../../errors.js'
import type { ChatChunk } from '../openai/types.js'
import { anthropicMessageToEvents } from './anthropic-message-to-events.js'
import { createAnthropicStreamTranslator } from './create-anthropic-stream-translator.js'

function translate(json: unknown): ChatChunk[] {
  const translator = createAnthropicStreamTranslator({ includeUsage: true, created: 7 })
  const chunks = anthropicMessageToEvents(json).flatMap((event) => translator.push(event))
  return [...chunks, ...translator.finish()]
}

const message = {
  id: 'msg_01',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5',
  content: [
    { type: 'thinking', thinking: 'Paris, then.', signature: 'sig' },
    { type: 'text', text: 'Checking.' },
    { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
    { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'x' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 12, output_tokens: 30, cache_read_input_tokens: 4 },
}

describe('anthropicMessageToEvents', () => {
  it('gives the stream translator what the same message streamed would give it', () => {
    const chunks = translate(message)
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta)
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'Paris, then.' },
      { content: 'Checking.' },
      {
        content: null,
        tool_calls: [
          { index: 0, id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] },
      {},
      undefined,
    ])
    expect(chunks[0]).toMatchObject({ id: 'msg_01', model: 'claude-haiku-4-5', created: 7 })
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls')
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 30 })
  })

  it('fails an error body as the error it names, never as an answer', () => {
    const error = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }
    expect(() => translate(error)).toThrow(UpstreamError)
    expect(() => translate(error)).toThrow(expect.objectContaining({ kind: 'overloaded' }))
  })

  it('refuses JSON that is not a message as malformed', () => {
    for (const body of [null, [], 'text', { type: 'completion', content: [] }, { type: 'message' }]) {
      expect(() => translate(body)).toThrow(expect.objectContaining({ kind: 'malformed' }))
    }
    expect(() => translate({ ...message, content: [42] })).toThrow(
      expect.objectContaining({ kind: 'malformed' }),
    )
  })
})
