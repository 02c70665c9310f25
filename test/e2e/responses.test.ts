import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeBehavior, type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

// POST /v1/responses for the Codex CLI and `client.responses.create`, driven by the real openai SDK
// against a fake OpenAI-compatible upstream. Every streamed event and every Response is validated
// against the Responses schemas of OpenAI's spec.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const EVENT_SCHEMAS: Record<string, string> = {
  'response.created': 'ResponseCreatedEvent',
  'response.in_progress': 'ResponseInProgressEvent',
  'response.output_item.added': 'ResponseOutputItemAddedEvent',
  'response.output_item.done': 'ResponseOutputItemDoneEvent',
  'response.content_part.added': 'ResponseContentPartAddedEvent',
  'response.content_part.done': 'ResponseContentPartDoneEvent',
  'response.output_text.delta': 'ResponseTextDeltaEvent',
  'response.output_text.done': 'ResponseTextDoneEvent',
  'response.function_call_arguments.delta': 'ResponseFunctionCallArgumentsDeltaEvent',
  'response.function_call_arguments.done': 'ResponseFunctionCallArgumentsDoneEvent',
  'response.completed': 'ResponseCompletedEvent',
  'response.incomplete': 'ResponseIncompleteEvent',
  'response.failed': 'ResponseFailedEvent',
  error: 'ResponseErrorEvent',
}

/** Validates one streamed event against its own schema (precise errors) and the ResponseStreamEvent union. */
function assertValidEvent(event: { type: string }): void {
  const schema = EVENT_SCHEMAS[event.type]
  if (schema === undefined) throw new Error(`unexpected event type ${event.type}`)
  assertMatchesSchema(schema, event)
  assertMatchesSchema('ResponseStreamEvent', event)
}

async function collect(stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>) {
  const events: OpenAI.Responses.ResponseStreamEvent[] = []
  for await (const event of stream) {
    assertValidEvent(event)
    events.push(event)
  }
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index))
  return events
}

async function start(behavior: FakeOpenAI['defaultBehavior']) {
  const fake = await startFakeOpenAI({ apiKey: 'gsk_test_key_0001', behavior })
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: 'gsk_test_key_0001' } },
  })
  running.push(smartsplit, fake)
  const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
  return { fake, smartsplit, client }
}

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  strict: true,
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
}

describe('POST /v1/responses', () => {
  it('answers a non-streamed request with a spec-valid Response', async () => {
    const { fake, client } = await start({ kind: 'text', text: 'Plain answer.' })
    const { data: response, response: http } = await client.responses
      .create({ model: 'smartsplit', instructions: 'Be brief.', input: 'Hi', metadata: { run: '7' } })
      .withResponse()
    assertMatchesSchema('Response', response)
    expect(response.status).toBe('completed')
    expect(response.output_text).toBe('Plain answer.')
    expect(response.id).toMatch(/^resp_/)
    expect(response.output[0]?.id).toMatch(/^msg_/)
    expect(response.metadata).toEqual({ run: '7' })
    expect(response.usage).toMatchObject({ input_tokens: 12, output_tokens: 7, total_tokens: 19 })
    expect(http.headers.get('x-smartsplit-provider')).toBe('groq')
    expect(fake.requests[0]!.body).toMatchObject({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
    })
    expect(fake.requests[0]!.body).not.toHaveProperty('metadata')
    expect(fake.requests[0]!.body).not.toHaveProperty('input')
  })

  it('streams text as the exact Responses event sequence', async () => {
    const { client } = await start({ kind: 'text', pieces: ['Hello', ' from', ' SmartSplit.'] })
    const stream = await client.responses.create({ model: 'smartsplit', input: 'Hi', stream: true })
    const events = await collect(stream)
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
    const deltas = events.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    )
    expect(deltas.join('')).toBe('Hello from SmartSplit.')
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent
    assertMatchesSchema('Response', completed.response)
    expect(completed.response.output).toMatchObject([
      {
        type: 'message',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Hello from SmartSplit.' }],
      },
    ])
    expect(completed.response.usage?.total_tokens).toBe(19)
  })

  it('completes a streamed function-call loop', async () => {
    const { fake, client } = await start(
      (body): FakeBehavior =>
        (body.messages as { role: string }[]).some((m) => m.role === 'tool')
          ? { kind: 'text', text: 'It is 21 °C in Paris.' }
          : { kind: 'tool_calls', calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    )
    const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: 'Weather in Paris?' }]
    const first = await client.responses.create({
      model: 'smartsplit',
      instructions: 'You are a weather bot.',
      input,
      tools: [weatherTool],
      parallel_tool_calls: false,
      store: false,
      stream: true,
    })
    const events = await collect(first)
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ])
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent
    const call = completed.response.output[0] as OpenAI.Responses.ResponseFunctionToolCall
    expect(call).toMatchObject({
      type: 'function_call',
      call_id: 'call_fake0',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    })
    expect(call.id).toMatch(/^fc_/)

    // The second turn replays the call and answers it, as Codex does with store: false.
    input.push(call, { type: 'function_call_output', call_id: call.call_id, output: '{"temp_c":21}' })
    const second = client.responses.stream({ model: 'smartsplit', input, tools: [weatherTool] })
    let text = ''
    second.on('event', assertValidEvent)
    second.on('response.output_text.delta', (event) => {
      text += event.delta
    })
    const final = await second.finalResponse()
    assertMatchesSchema('Response', final)
    expect(text).toBe('It is 21 °C in Paris.')
    expect(final.output).toMatchObject([{ type: 'message', content: [{ text: 'It is 21 °C in Paris.' }] }])

    const sent = fake.requests.at(-1)!.body as { messages: Record<string, unknown>[]; tools: unknown[] }
    expect(sent.messages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_fake0',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_fake0', content: '{"temp_c":21}' },
    ])
    expect(sent.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Current weather for a city',
          parameters: weatherTool.parameters,
          strict: true,
        },
      },
    ])
  })

  it('ends a stream that breaks after content with a spec-valid response.failed', async () => {
    const long = ['A'.repeat(120), 'B'.repeat(120), 'C'.repeat(120), 'D'.repeat(120)]
    const { client } = await start({ kind: 'midstream_error', afterPieces: 2, pieces: long })
    const stream = await client.responses.create({ model: 'smartsplit', input: 'Hi', stream: true })
    const events = await collect(stream)
    const last = events.at(-1) as OpenAI.Responses.ResponseFailedEvent
    expect(last.type).toBe('response.failed')
    expect(last.response.status).toBe('failed')
    expect(last.response.error?.code).toBe('server_error')
    expect(events.some((event) => event.type === 'response.completed')).toBe(false)
  })

  it('refuses previous_response_id with an OpenAI-shaped 400 that says to resend the input', async () => {
    const { fake, client, smartsplit } = await start({ kind: 'text', text: 'unused' })
    await expect(
      client.responses.create({ model: 'smartsplit', input: 'Hi', previous_response_id: 'resp_123' }),
    ).rejects.toMatchObject({ status: 400, param: 'previous_response_id' })
    const answer = await fetch(`${smartsplit.baseURL}/responses`, {
      method: 'POST',
      body: JSON.stringify({ model: 'smartsplit', input: 'Hi', previous_response_id: 'resp_123' }),
    })
    const body = (await answer.json()) as { error: Record<string, unknown> }
    expect(answer.status).toBe(400)
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'previous_response_id' })
    expect(body.error.message).toMatch(/stateless.*resend the whole conversation in `input`/)
    const bad = await fetch(`${smartsplit.baseURL}/responses`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'smartsplit',
        input: [{ role: 'user', content: [{ type: 'input_text' }] }],
      }),
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('input.0.content.0.text')
    expect(fake.requests).toHaveLength(0)
  })
})
