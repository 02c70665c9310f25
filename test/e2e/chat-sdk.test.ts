import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { jsonSchema, stepCountIs, streamText, tool } from 'ai'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeBehavior, type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { NEW_PROVIDER_ANSWERS } from '../fakes/provider-answers.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Real clients against a running SmartSplit in front of a fake OpenAI-compatible upstream: Groq, and
// every OpenAI-compatible provider added since (NVIDIA NIM, SambaNova, Z.ai, Ollama Cloud), each with its
// catalogue quirks and the rate-limit headers it sends.

interface ProviderCase {
  provider: string
  apiKey: string
  model: string
  rateLimitHeaders: Record<string, string>
  /** max_completion_tokens sent for a client's 64 000 (the model's output limit), or 64 000 unclamped. */
  clampedMaxTokens: number
}

const answersOf = (provider: string) => NEW_PROVIDER_ANSWERS.find((a) => a.provider === provider)!
const newProvider = (provider: string, model: string, clampedMaxTokens: number): ProviderCase => ({
  provider,
  apiKey: answersOf(provider).apiKey,
  model,
  rateLimitHeaders: answersOf(provider).rateLimitHeaders,
  clampedMaxTokens,
})

const CASES: ProviderCase[] = [
  {
    provider: 'groq',
    apiKey: 'gsk_test_key_0001',
    model: 'gpt-oss-120b',
    rateLimitHeaders: {},
    clampedMaxTokens: 32_768,
  },
  newProvider('nvidia', 'nvidia/nemotron-3-super-120b-a12b', 4_096),
  newProvider('sambanova', 'gpt-oss-120b', 8_192),
  newProvider('zai', 'glm-4.7-flash', 64_000),
  newProvider('ollama-cloud', 'gpt-oss:120b', 64_000),
]

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

/** Calls the tool first; once a tool result is in the conversation, answers with text. */
function toolLoop(body: Record<string, unknown>): FakeBehavior {
  const messages = body.messages as { role: string }[]
  return messages.some((m) => m.role === 'tool')
    ? { kind: 'text', text: 'It is sunny in Paris.' }
    : {
        kind: 'tool_calls',
        calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
        argumentPieces: 4,
      }
}

describe.each(CASES)('chat completions through real SDKs: $provider', (c) => {
  let fake: FakeOpenAI
  let smartsplit: RunningSmartSplit
  let client: OpenAI

  beforeAll(async () => {
    fake = await startFakeOpenAI({ model: c.model, apiKey: c.apiKey, rateLimitHeaders: c.rateLimitHeaders })
    smartsplit = await startSmartSplit({
      free_llm_priority: [c.provider],
      providers: {
        [c.provider]: {
          base_url: fake.url,
          api_key: c.apiKey,
          model: c.model,
          limits: { tpm: 1_000_000, tpd: 100_000_000 },
        },
      },
    })
    client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'anything', maxRetries: 0 })
  })
  afterAll(async () => {
    await smartsplit.close()
    await fake.close()
  })

  it('answers a plain request with a spec-valid completion and route headers', async () => {
    fake.queue.push({ kind: 'text', text: 'Hello there, developer.' })
    const { data, response } = await client.chat.completions
      .create({ model: 'smartsplit', messages: [{ role: 'user', content: 'Say hello' }] })
      .withResponse()
    assertMatchesSchema('CreateChatCompletionResponse', data)
    expect(data.choices[0]?.message.content).toBe('Hello there, developer.')
    expect(data.model).toBe(c.model)
    expect(data.usage?.total_tokens).toBe(19)
    expect(response.headers.get('x-smartsplit-provider')).toBe(c.provider)
    expect(response.headers.get('x-smartsplit-model')).toBe(c.model)
    const sent = fake.requests.at(-1)!
    expect(sent.headers.authorization).toBe(`Bearer ${c.apiKey}`)
    expect(sent.body.messages).toEqual([{ role: 'user', content: 'Say hello' }])
  })

  it('streams every chunk spec-valid, role first, usage last when asked', async () => {
    fake.queue.push({ kind: 'text', pieces: ['One ', 'two ', 'three.'] })
    const stream = await client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'Count' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks = []
    for await (const chunk of stream) {
      assertMatchesSchema('CreateChatCompletionStreamResponse', chunk)
      chunks.push(chunk)
    }
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('One two three.')
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.at(-1)?.choices).toEqual([])
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(19)
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1)
  })

  it('omits the usage chunk when the client did not ask for it', async () => {
    fake.queue.push({ kind: 'text', text: 'Short.' })
    const stream = await client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true)
  })

  it('completes a streamed tool loop with the openai SDK', async () => {
    fake.defaultBehavior = toolLoop
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }]
    const first = await client.chat.completions.create({
      model: 'smartsplit',
      messages,
      tools: [weatherTool],
      stream: true,
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
    expect(finish).toBe('tool_calls')
    expect(calls).toEqual([{ id: 'call_fake0', name: 'get_weather', arguments: '{"city":"Paris"}' }])
    messages.push(
      {
        role: 'assistant',
        content: null,
        tool_calls: calls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.arguments },
        })),
      },
      { role: 'tool', tool_call_id: 'call_fake0', content: '{"temp_c":21,"sky":"clear"}' },
    )
    const second = await client.chat.completions.create({
      model: 'smartsplit',
      messages,
      tools: [weatherTool],
      stream: true,
    })
    let text = ''
    for await (const chunk of second) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('It is sunny in Paris.')
    const sent = fake.requests.at(-1)!.body
    expect(sent.messages).toEqual(messages)
    expect(sent.tools).toEqual([weatherTool])
    fake.defaultBehavior = { kind: 'text', text: 'Hello from the fake.' }
  })

  it('completes a tool loop with the Vercel AI SDK', async () => {
    fake.defaultBehavior = toolLoop
    const provider = createOpenAICompatible({
      name: 'smartsplit',
      baseURL: smartsplit.baseURL,
      apiKey: 'anything',
      includeUsage: true,
    })
    const executed: unknown[] = []
    const result = streamText({
      model: provider.chatModel('smartsplit'),
      prompt: 'Weather in Paris?',
      stopWhen: stepCountIs(3),
      tools: {
        get_weather: tool({
          description: 'Current weather for a city',
          inputSchema: jsonSchema<{ city: string }>({
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
          }),
          execute: async (input) => {
            executed.push(input)
            return { temp_c: 21 }
          },
        }),
      },
    })
    let text = ''
    for await (const delta of result.textStream) text += delta
    expect(executed).toEqual([{ city: 'Paris' }])
    expect(text).toBe('It is sunny in Paris.')
    const toolMessage = (fake.requests.at(-1)!.body.messages as { role: string; content: string }[]).find(
      (m) => m.role === 'tool',
    )
    expect(JSON.parse(toolMessage!.content)).toEqual({ temp_c: 21 })
    fake.defaultBehavior = { kind: 'text', text: 'Hello from the fake.' }
  })

  it('carries a 60 KB agent request with content parts and 10 tools to the model, text-only parts outside user turns as strings', async () => {
    const tools = Array.from({ length: 10 }, (_, i) => ({
      type: 'function' as const,
      function: {
        name: `tool_${i}`,
        description: `Tool number ${i} `.repeat(20),
        parameters: {
          type: 'object',
          properties: { path: { type: 'string' }, depth: { type: 'integer' } },
          required: ['path'],
        },
      },
    }))
    const file = 'export function add(a: number, b: number): number {\n  return a + b\n}\n'.repeat(850)
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'system', content: [{ type: 'text', text: 'You are a coding agent. Use tools.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Here is the file:' },
          { type: 'text', text: file },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'tool_1', arguments: '{"path":"src/a.ts"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: [{ type: 'text', text: 'ok' }] },
      { role: 'user', content: 'Now refactor it.' },
    ]
    expect(JSON.stringify(messages).length).toBeGreaterThan(60_000)
    fake.queue.push({ kind: 'text', text: 'Refactored.' })
    const stream = await client.chat.completions.create({
      model: 'smartsplit',
      messages,
      tools,
      tool_choice: 'auto',
      parallel_tool_calls: true,
      stream: true,
    })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('Refactored.')
    const sent = fake.requests.at(-1)!.body
    // Groq and llama.cpp-style servers take only strings outside user turns (text-part-arrays.test.ts).
    expect(sent.messages).toEqual(
      messages.map((message) =>
        message.role === 'system' || message.role === 'tool'
          ? { ...message, content: (message.content as { text: string }[])[0]!.text }
          : message,
      ),
    )
    expect(sent.tools).toEqual(tools)
    expect(sent.tool_choice).toBe('auto')
    expect(sent.parallel_tool_calls).toBe(true)
  })

  it('forwards sampling fields and keeps unknown fields', async () => {
    fake.queue.push({ kind: 'text', text: 'ok' })
    await client.chat.completions.create({
      model: 'smartsplit',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'Hi', name: 'dev' },
      ],
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      max_completion_tokens: 64_000,
      response_format: { type: 'json_object' },
      user: 'u1',
      metadata: { team: 'a' },
      // @ts-expect-error unknown fields are legal and must not be an error
      custom_field: { keep: true },
    })
    const sent = fake.requests.at(-1)!.body
    expect(sent).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      response_format: { type: 'json_object' },
      custom_field: { keep: true },
    })
    // Agents send huge output budgets: clamped to the model's output limit where the catalogue has one.
    expect(sent.max_completion_tokens).toBe(c.clampedMaxTokens)
    expect(sent.stream).toBe(true)
  })
})
