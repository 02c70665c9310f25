import { describe, expect, it } from 'vitest'
import type { ChatCompletion, CompletionMessage, FinishReason } from '../openai/types.js'
import { completionToResponse } from './completion-to-response.js'
import { parseResponsesRequest } from './parse-responses-request.js'
import type { ResponseContext } from './types.js'

function context(body: Record<string, unknown> = {}): ResponseContext {
  let next = 0
  return {
    request: parseResponsesRequest({ model: 'smartsplit', input: 'Hi', ...body }),
    token: () => `t${++next}`,
    nowMs: () => 1_767_225_601_500,
  }
}

function completion(message: Partial<CompletionMessage>, finish: FinishReason = 'stop'): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_767_225_600,
    model: 'cerebras/qwen',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: null, refusal: null, ...message },
        finish_reason: finish,
        logprobs: null,
      },
    ],
    usage: {
      prompt_tokens: 20,
      completion_tokens: 5,
      total_tokens: 25,
      prompt_tokens_details: { cached_tokens: 8 },
    },
  }
}

describe('completionToResponse', () => {
  it('builds the full Response object for a text answer (golden)', () => {
    const body = { instructions: 'Be brief.', temperature: 0.5, metadata: { run: '1' }, user: 'u' }
    expect(completionToResponse(completion({ content: 'Hello.' }), context(body))).toEqual({
      id: 'resp_t2',
      object: 'response',
      created_at: 1_767_225_600,
      completed_at: 1_767_225_601,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'cerebras/qwen',
      output: [
        {
          type: 'message',
          id: 'msg_t1',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'Hello.', annotations: [], logprobs: [] }],
        },
      ],
      instructions: 'Be brief.',
      max_output_tokens: null,
      metadata: { run: '1' },
      parallel_tool_calls: true,
      previous_response_id: null,
      reasoning: null,
      store: false,
      temperature: 0.5,
      text: { format: { type: 'text' } },
      tool_choice: 'auto',
      tools: [],
      top_p: null,
      truncation: 'disabled',
      user: 'u',
      usage: {
        input_tokens: 20,
        input_tokens_details: { cached_tokens: 8, cache_write_tokens: 0 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 25,
      },
    })
  })

  it('turns tool calls into function_call items that keep the call id', () => {
    const calls = [
      { id: 'call_1', type: 'function' as const, function: { name: 'a', arguments: '{"x":1}' } },
      { id: '', type: 'function' as const, function: { name: 'b', arguments: '{}' } },
    ]
    const response = completionToResponse(completion({ tool_calls: calls }, 'tool_calls'), context())
    expect(response.output).toEqual([
      {
        type: 'function_call',
        id: 'fc_t1',
        call_id: 'call_1',
        name: 'a',
        arguments: '{"x":1}',
        status: 'completed',
      },
      {
        type: 'function_call',
        id: 'fc_t2',
        call_id: 'call_t3',
        name: 'b',
        arguments: '{}',
        status: 'completed',
      },
    ])
  })

  it('reports a cut answer as incomplete and a refusal as text', () => {
    const cut = completionToResponse(completion({ content: 'Once' }, 'length'), context())
    expect(cut).toMatchObject({
      status: 'incomplete',
      completed_at: null,
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ status: 'incomplete' }],
    })
    const refused = completionToResponse(completion({ refusal: 'I cannot help.' }), context())
    expect(refused.output).toMatchObject([{ content: [{ text: 'I cannot help.' }] }])
    const empty = completionToResponse(completion({ content: '' }), context())
    expect(empty.output).toEqual([])
  })
})
