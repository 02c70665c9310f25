import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from '../fakes/fake-anthropic.js'
import { startFakeGemini } from '../fakes/fake-gemini.js'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

// A coding agent's tool loop works unchanged whichever format the upstream speaks, and Claude Code's
// Anthropic format works inbound whatever the upstream is.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const weatherTool: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
      required: ['city'],
      additionalProperties: false,
    },
  },
}

/** Drives a streamed tool loop with the openai SDK and returns the final text and the tool call seen. */
async function openaiToolLoop(baseURL: string) {
  const client = new OpenAI({ baseURL, apiKey: 'x', maxRetries: 0 })
  const messages: OpenAI.ChatCompletionMessageParam[] = [
    { role: 'system', content: 'You are a weather bot.' },
    { role: 'user', content: 'Weather in Paris?' },
  ]
  const first = await client.chat.completions.create({
    model: 'smartsplit',
    messages,
    tools: [weatherTool],
    stream: true,
    stream_options: { include_usage: true },
  })
  const calls: { id: string; name: string; arguments: string }[] = []
  let finish: string | null = null
  for await (const chunk of first) {
    assertMatchesSchema('CreateChatCompletionStreamResponse', chunk)
    for (const fragment of chunk.choices[0]?.delta.tool_calls ?? []) {
      const call = (calls[fragment.index] ??= { id: '', name: '', arguments: '' })
      call.id ||= fragment.id ?? ''
      call.name += fragment.function?.name ?? ''
      call.arguments += fragment.function?.arguments ?? ''
    }
    finish = chunk.choices[0]?.finish_reason ?? finish
  }
  messages.push(
    // Rebuilt from the standard fields only, as SDKs and agents do: anything else is dropped.
    {
      role: 'assistant',
      content: null,
      tool_calls: calls.map((c) => ({
        id: c.id,
        type: 'function' as const,
        function: { name: c.name, arguments: c.arguments },
      })),
    },
    ...calls.map((c) => ({ role: 'tool' as const, tool_call_id: c.id, content: '{"temp_c":21}' })),
  )
  const second = await client.chat.completions.create({
    model: 'smartsplit',
    messages,
    tools: [weatherTool],
    stream: true,
  })
  let text = ''
  for await (const chunk of second) {
    assertMatchesSchema('CreateChatCompletionStreamResponse', chunk)
    text += chunk.choices[0]?.delta.content ?? ''
  }
  return { calls, finish, text }
}

describe('OpenAI clients served by native upstreams', () => {
  it('completes a streamed tool loop through Anthropic', async () => {
    const fake = await startFakeAnthropic({ apiKey: 'sk-ant-test-0001', pieceSize: 3 })
    fake.script(
      {
        kind: 'tool_use',
        text: 'Let me check.',
        calls: [{ id: 'toolu_01', name: 'get_weather', input: { city: 'Paris', unit: 'c' } }],
      },
      { kind: 'text', text: 'Sunny, 21 °C.' },
    )
    const smartsplit = await startSmartSplit({
      free_llm_priority: [],
      providers: { anthropic: { enabled: true, base_url: fake.url, api_key: 'sk-ant-test-0001' } },
    })
    running.push(smartsplit, fake)
    const { calls, finish, text } = await openaiToolLoop(smartsplit.baseURL)
    expect(finish).toBe('tool_calls')
    expect(calls).toEqual([{ id: 'toolu_01', name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' }])
    expect(text).toBe('Sunny, 21 °C.')
    const last = fake.requests.at(-1)!
    expect(last.headers['x-api-key']).toBe('sk-ant-test-0001')
    expect(last.headers['anthropic-version']).toBe('2023-06-01')
    const body = last.body as {
      system: unknown
      messages: { role: string; content: { type: string }[] }[]
      max_tokens: number
    }
    expect(body.system).toBeTruthy()
    expect(body.max_tokens).toBeGreaterThan(0)
    expect(body.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(body.messages[2]!.content[0]!.type).toBe('tool_result')
  })

  it('completes a streamed tool loop through Gemini 3, thought signature kept', async () => {
    const fake = await startFakeGemini({ apiKey: 'gemini-test-key-01' })
    fake.respondWith(
      { type: 'functionCalls', calls: [{ name: 'get_weather', args: { city: 'Paris' } }] },
      { type: 'text', chunks: ['Sunny', ', 21 °C.'] },
    )
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['gemini'],
      providers: {
        gemini: {
          base_url: `${fake.url}/v1beta`,
          api_key: 'gemini-test-key-01',
          model: 'gemini-3-flash-preview',
        },
      },
    })
    running.push(smartsplit, fake)
    const { calls, finish, text } = await openaiToolLoop(smartsplit.baseURL)
    expect(finish).toBe('tool_calls')
    expect(calls).toHaveLength(1)
    expect(calls[0]!.name).toBe('get_weather')
    expect(JSON.parse(calls[0]!.arguments)).toEqual({ city: 'Paris' })
    expect(text).toBe('Sunny, 21 °C.')
    // The fake refuses (400) a gemini-3 function call that lost its signature; reaching text proves it survived.
    const second = fake.requests.at(-1)!.body as {
      contents: { role: string; parts: Record<string, unknown>[] }[]
      tools: { functionDeclarations: { parameters: Record<string, unknown> }[] }[]
    }
    const modelTurn = second.contents.find((c) => c.role === 'model')!
    expect(modelTurn.parts[0]).toHaveProperty('thoughtSignature')
    expect(JSON.stringify(second.tools)).not.toMatch(/additionalProperties|\$schema/)
  })
})

describe('POST /v1/messages for Claude Code and the Anthropic SDK', () => {
  const tools: Anthropic.Tool[] = [
    {
      name: 'get_weather',
      description: 'Weather',
      input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  ]

  async function anthropicToolLoop(origin: string) {
    const client = new Anthropic({ baseURL: origin, apiKey: 'anything', maxRetries: 0 })
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }]
    const first = client.messages.stream({
      model: 'claude-haiku-4-5',
      max_tokens: 1024,
      system: [{ type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } }],
      tools,
      messages,
    })
    const firstMessage = await first.finalMessage()
    const toolUse = firstMessage.content.find(
      (block): block is Anthropic.ToolUseBlock => block.type === 'tool_use',
    )
    expect(firstMessage.stop_reason).toBe('tool_use')
    expect(toolUse?.name).toBe('get_weather')
    expect(toolUse?.input).toEqual({ city: 'Paris' })
    messages.push(
      { role: 'assistant', content: firstMessage.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse!.id, content: '21 °C, clear' }] },
    )
    const second = client.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 1024, tools, messages })
    let text = ''
    second.on('text', (delta) => {
      text += delta
    })
    const final = await second.finalMessage()
    expect(final.stop_reason).toBe('end_turn')
    return { text, toolUseId: toolUse!.id }
  }

  it('serves a streamed tool loop from an OpenAI-compatible upstream', async () => {
    const fake = await startFakeOpenAI({
      apiKey: 'gsk_test_key_0001',
      behavior: (body): FakeBehavior =>
        (body.messages as { role: string }[]).some((m) => m.role === 'tool')
          ? { kind: 'text', text: 'It is 21 °C in Paris.' }
          : { kind: 'tool_calls', calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: fake.url, api_key: 'gsk_test_key_0001' } },
    })
    running.push(smartsplit, fake)
    const { text, toolUseId } = await anthropicToolLoop(smartsplit.url)
    expect(text).toBe('It is 21 °C in Paris.')
    expect((fake.requests[0]!.body as { messages: Record<string, unknown>[] }).messages[0]).toMatchObject({
      role: 'system',
      content: 'You are Claude Code.',
    })
    const sent = fake.requests.at(-1)!.body as { messages: Record<string, unknown>[] }
    expect(sent.messages.at(-1)).toMatchObject({
      role: 'tool',
      tool_call_id: toolUseId,
      content: '21 °C, clear',
    })
  })

  it('serves a streamed tool loop from a Gemini upstream', async () => {
    const fake = await startFakeGemini({ apiKey: 'gemini-test-key-01' })
    fake.respondWith(
      { type: 'functionCalls', calls: [{ name: 'get_weather', args: { city: 'Paris' } }] },
      { type: 'text', chunks: ['It is 21 °C ', 'in Paris.'] },
    )
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['gemini'],
      providers: { gemini: { base_url: `${fake.url}/v1beta`, api_key: 'gemini-test-key-01' } },
    })
    running.push(smartsplit, fake)
    const { text } = await anthropicToolLoop(smartsplit.url)
    expect(text).toBe('It is 21 °C in Paris.')
  })

  it('answers non-streamed requests, counts tokens and speaks Anthropic errors', async () => {
    const fake = await startFakeOpenAI({
      apiKey: 'gsk_test_key_0001',
      behavior: { kind: 'text', text: 'Plain answer.' },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: fake.url, api_key: 'gsk_test_key_0001' } },
    })
    running.push(smartsplit, fake)
    // Current SDKs send the key as a Bearer token and a recent version date.
    const client = new Anthropic({
      baseURL: smartsplit.url,
      authToken: 'anything',
      apiKey: null,
      maxRetries: 0,
      defaultHeaders: { 'anthropic-version': '2026-03-01' },
    })
    const message = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'Hi' }],
    })
    expect(message.content).toEqual(
      [{ type: 'text', text: 'Plain answer.', citations: null }].map(({ citations: _c, ...b }) =>
        expect.objectContaining(b),
      ),
    )
    expect(message.role).toBe('assistant')
    const count = await client.messages.countTokens({
      model: 'claude-haiku-4-5',
      messages: [{ role: 'user', content: 'Hello there, how are you today?' }],
    })
    expect(count.input_tokens).toBeGreaterThan(5)
    const bad = await fetch(`${smartsplit.url}/v1/messages`, {
      method: 'POST',
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(bad.status).toBe(400)
    const body = (await bad.json()) as { type: string; error: { type: string; message: string } }
    expect(body.type).toBe('error')
    expect(body.error.type).toBe('invalid_request_error')
    expect(body.error.message).toMatch(/max_tokens/)
  })

  it('returns an Anthropic-shaped 503 when no provider is configured', async () => {
    const smartsplit = await startSmartSplit({})
    running.push(smartsplit)
    const client = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
    await expect(
      client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    ).rejects.toMatchObject({ status: 503 })
  })
})
