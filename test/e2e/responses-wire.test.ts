import { describe, expect, it } from 'vitest'
import type { ChatChunk, ChatCompletion, ChunkDelta, FinishReason } from '../../src/wire/openai/types.js'
import { completionToResponse } from '../../src/wire/responses/completion-to-response.js'
import { createResponsesEventWriter } from '../../src/wire/responses/create-responses-event-writer.js'
import { parseResponsesRequest } from '../../src/wire/responses/parse-responses-request.js'
import type { ResponseContext } from '../../src/wire/responses/types.js'
import { assertMatchesSchema } from '../support/openapi.js'

// The cases the fake upstream cannot easily produce (cut by max tokens, failed before anything was
// sent, tool calls in a non-streamed answer), checked against OpenAI's spec straight from the translators.

function context(body: Record<string, unknown> = {}): ResponseContext {
  let next = 0
  return {
    request: parseResponsesRequest({ model: 'smartsplit', input: 'Hi', ...body }),
    token: (length) => `${++next}`.padStart(length, 'x'),
    nowMs: () => 1_767_225_600_000,
  }
}

function chunk(delta: ChunkDelta, finish: FinishReason | null = null): ChatChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
  }
}

function assertValidEvents(events: { event: string; data: string }[]): void {
  for (const { event, data } of events) {
    const parsed = JSON.parse(data) as { type: string }
    expect(parsed.type).toBe(event)
    assertMatchesSchema('ResponseStreamEvent', parsed)
  }
}

const tools = [
  { type: 'function', name: 'f', description: 'F', parameters: { type: 'object' }, strict: false },
  { type: 'web_search' },
]
const format = { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true }

describe('Responses translators against the spec', () => {
  it('emits a valid response.incomplete for an answer cut by max tokens', () => {
    const writer = createResponsesEventWriter(context({ max_output_tokens: 16, tools, text: { format } }))
    const events = [
      ...writer.push(chunk({ content: 'Once' })),
      ...writer.push(
        chunk({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'f', arguments: '{' } }] }),
      ),
      ...writer.push(chunk({}, 'length')),
      ...writer.finish(),
    ]
    assertValidEvents(events)
    expect(events.at(-1)!.event).toBe('response.incomplete')
  })

  it('emits a valid response.failed and a valid error event', () => {
    const failure = { status: 429, message: 'Every provider is rate-limited.', code: 'all', param: null }
    const started = createResponsesEventWriter(context())
    const failed = [...started.push(chunk({ content: 'x' })), ...started.fail(failure)]
    assertValidEvents(failed)
    expect(JSON.parse(failed.at(-1)!.data)).toMatchObject({
      response: { error: { code: 'rate_limit_exceeded' } },
    })
    assertValidEvents(createResponsesEventWriter(context()).fail(failure))
  })

  it('builds valid Responses for tool calls, refusals and incomplete answers', () => {
    const completion = (message: Record<string, unknown>, finish: FinishReason): ChatCompletion => ({
      id: 'c',
      object: 'chat.completion',
      created: 1_767_225_600,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, refusal: null, ...message },
          finish_reason: finish,
          logprobs: null,
        },
      ],
    })
    const call = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }
    const withTools = context({ tools, tool_choice: { type: 'function', name: 'f' }, text: { format } })
    assertMatchesSchema(
      'Response',
      completionToResponse(completion({ tool_calls: [call] }, 'tool_calls'), withTools),
    )
    assertMatchesSchema('Response', completionToResponse(completion({ refusal: 'No.' }, 'stop'), context()))
    assertMatchesSchema(
      'Response',
      completionToResponse(completion({ content: 'Cut' }, 'content_filter'), context()),
    )
  })

  it('has a validator that rejects a Response missing required fields', () => {
    const response = completionToResponse(
      {
        id: 'c',
        object: 'chat.completion',
        created: 1,
        model: 'm',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'x', refusal: null },
            finish_reason: 'stop',
            logprobs: null,
          },
        ],
      },
      context(),
    )
    const { tools: _tools, ...withoutTools } = response
    expect(() => assertMatchesSchema('Response', withoutTools)).toThrow(/tools/)
    expect(() =>
      assertMatchesSchema('ResponseStreamEvent', { type: 'response.output_text.delta', sequence_number: 0 }),
    ).toThrow()
  })
})
