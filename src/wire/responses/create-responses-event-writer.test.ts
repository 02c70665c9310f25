import { describe, expect, it } from 'vitest'
import type { ChatChunk, ChunkDelta, FinishReason, Usage } from '../openai/types.js'
import { createResponsesEventWriter } from './create-responses-event-writer.js'
import { parseResponsesRequest } from './parse-responses-request.js'
import type { ResponseContext, ResponsesSseEvent } from './types.js'

function context(body: Record<string, unknown> = {}): ResponseContext {
  let next = 0
  return {
    request: parseResponsesRequest({ model: 'smartsplit', input: 'Hi', stream: true, ...body }),
    token: (length) => String(++next).padStart(length, '0').slice(-4),
    nowMs: () => 1_767_225_600_000,
  }
}

function chunk(delta: ChunkDelta, finish: FinishReason | null = null, usage?: Usage): ChatChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1_767_225_599,
    model: 'groq/llama',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  }
}

const usage: Usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 }

function run(chunks: ChatChunk[], body: Record<string, unknown> = {}): Record<string, unknown>[] {
  const writer = createResponsesEventWriter(context(body))
  const events: ResponsesSseEvent[] = [...chunks.flatMap((c) => writer.push(c)), ...writer.finish()]
  return events.map((event) => {
    const data = JSON.parse(event.data) as Record<string, unknown>
    expect(data.type).toBe(event.event)
    return data
  })
}

describe('createResponsesEventWriter', () => {
  it('streams text in the exact Responses sequence (golden)', () => {
    const events = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hello' }),
      chunk({ content: ' there.' }, 'stop'),
      { ...chunk({}), choices: [], usage },
    ])
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
    expect(events.map((e) => e.sequence_number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    const item = { type: 'message', id: 'msg_0002', role: 'assistant' }
    const part = { type: 'output_text', text: 'Hello there.', annotations: [], logprobs: [] }
    expect(events[2]).toMatchObject({
      output_index: 0,
      item: { ...item, status: 'in_progress', content: [] },
    })
    expect(events[3]).toMatchObject({ item_id: 'msg_0002', content_index: 0, part: { ...part, text: '' } })
    expect(events[4]).toMatchObject({ item_id: 'msg_0002', output_index: 0, delta: 'Hello', logprobs: [] })
    expect(events[6]).toMatchObject({ text: 'Hello there.' })
    expect(events[7]).toMatchObject({ part })
    expect(events[8]).toMatchObject({ item: { ...item, status: 'completed', content: [part] } })
    expect(events[9]).toEqual({
      type: 'response.completed',
      sequence_number: 9,
      response: expect.objectContaining({
        id: 'resp_0001',
        object: 'response',
        status: 'completed',
        created_at: 1_767_225_600,
        completed_at: 1_767_225_600,
        model: 'groq/llama',
        error: null,
        incomplete_details: null,
        output: [{ ...item, status: 'completed', content: [part] }],
        usage: {
          input_tokens: 12,
          input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
          output_tokens: 7,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 19,
        },
      }),
    })
    expect(events[0]).toMatchObject({ response: { status: 'in_progress', output: [], completed_at: null } })
  })

  it('streams tool calls after the text, with call_id and whole arguments', () => {
    const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object' } }]
    const events = run(
      [
        chunk({ content: 'Checking.' }),
        chunk({
          tool_calls: [{ index: 0, id: 'call_x', type: 'function', function: { name: 'get_weather' } }],
        }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        chunk({ tool_calls: [{ index: 1, function: { name: 'get_time', arguments: '{}' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, 'tool_calls'),
      ],
      { tools },
    )
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ])
    expect(events[8]).toMatchObject({
      output_index: 1,
      item: { type: 'function_call', id: 'fc_0003', call_id: 'call_x', name: 'get_weather', arguments: '' },
    })
    expect(events[10]).toMatchObject({ output_index: 2, item: { call_id: 'call_0005', name: 'get_time' } })
    expect(events[13]).toMatchObject({
      item_id: 'fc_0003',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    })
    const final = events.at(-1)!.response as { output: unknown[]; tools: unknown[] }
    expect(final.output).toEqual([
      expect.objectContaining({ type: 'message' }),
      {
        type: 'function_call',
        id: 'fc_0003',
        call_id: 'call_x',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
        status: 'completed',
      },
      expect.objectContaining({ call_id: 'call_0005', arguments: '{}', status: 'completed' }),
    ])
    expect(final.tools).toEqual([
      { type: 'function', name: 'get_weather', parameters: { type: 'object' }, strict: null },
    ])
  })

  it('ends a response cut by max tokens with response.incomplete', () => {
    const events = run([chunk({ content: 'Once upon' }, 'length')], { max_output_tokens: 2 })
    const last = events.at(-1)!
    expect(last.type).toBe('response.incomplete')
    expect(last.response).toMatchObject({
      status: 'incomplete',
      completed_at: null,
      max_output_tokens: 2,
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ status: 'incomplete' }],
    })
  })

  it('opens and completes an empty response when no chunk came', () => {
    expect(run([]).map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.completed',
    ])
  })

  it('fails with response.failed after response.created, and with error before it', () => {
    const failure = {
      status: 502,
      message: 'All providers failed.',
      code: 'all_providers_failed',
      param: null,
    }
    const writer = createResponsesEventWriter(context())
    writer.push(chunk({ content: 'partial' }))
    const [failed, ...rest] = writer.fail(failure)
    expect(rest).toEqual([])
    expect(JSON.parse(failed!.data)).toMatchObject({
      type: 'response.failed',
      sequence_number: 5,
      response: {
        status: 'failed',
        error: { code: 'server_error', message: 'All providers failed.' },
        output: [{ type: 'message', status: 'incomplete', content: [{ text: 'partial' }] }],
      },
    })
    expect(writer.finish()).toEqual([])

    // Before response.created: an `error` event, with the code clients read for a rate limit.
    const early = createResponsesEventWriter(context()).fail({
      ...failure,
      status: 429,
      code: 'all_providers_rate_limited',
    })
    expect(early).toEqual([
      {
        event: 'error',
        data: JSON.stringify({
          type: 'error',
          sequence_number: 0,
          code: 'rate_limit_exceeded',
          message: 'All providers failed.',
          param: null,
        }),
      },
    ])
    const refused = createResponsesEventWriter(context()).fail({
      ...failure,
      status: 400,
      code: 'bad_request',
    })
    expect(JSON.parse(refused[0]!.data)).toMatchObject({ type: 'error', code: 'bad_request' })
  })
})
