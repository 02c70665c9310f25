import { describe, expect, it } from 'vitest'
import type { ChatCompletion } from '../openai/types.js'
import { completionToAnthropicMessage } from './completion-to-anthropic-message.js'

const completion = (
  message: ChatCompletion['choices'][number]['message'],
  finishReason: ChatCompletion['choices'][number]['finish_reason'],
): ChatCompletion => ({
  id: 'chatcmpl-abc',
  object: 'chat.completion',
  created: 1,
  model: 'llama',
  choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
  usage: {
    prompt_tokens: 82,
    completion_tokens: 17,
    total_tokens: 99,
    prompt_tokens_details: { cached_tokens: 50 },
  },
})

describe('completionToAnthropicMessage', () => {
  it('maps text, tool calls, stop reason and usage', () => {
    const message = completionToAnthropicMessage(
      completion(
        {
          role: 'assistant',
          content: 'Checking.',
          refusal: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        'tool_calls',
      ),
      'claude-sonnet-4-5',
    )
    expect(message).toEqual({
      id: 'msg_abc',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 32,
        output_tokens: 17,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 50,
      },
    })
  })

  it('reports a refusal as text with stop_reason refusal', () => {
    const message = completionToAnthropicMessage(
      completion({ role: 'assistant', content: null, refusal: 'I cannot help with that.' }, 'content_filter'),
      'm',
    )
    expect(message.content).toEqual([{ type: 'text', text: 'I cannot help with that.' }])
    expect(message.stop_reason).toBe('refusal')
  })
})
