import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from '../fakes/fake-anthropic.js'
import { startFakeGemini } from '../fakes/fake-gemini.js'
import { googleError } from '../fakes/fake-gemini-responses.js'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { routeAll } from '../support/route-all.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Some upstreams, and proxies in front of them, answer `stream: true` (or a dropped `alt=sse`) with a whole
// JSON body. SmartSplit still reads the answer and gives every client the form it asked for; a JSON error
// body sent with a 200 is still an error, and the next provider answers.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const ANTHROPIC_KEY = 'sk-ant-test-0001'
const GEMINI_KEY = 'gemini-test-key-01'
const GROQ_KEY = 'gsk_test_key_0000000001'
const PROMPT = 'Say hello to the team.'

const openai = (smartsplit: RunningSmartSplit): OpenAI =>
  new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })

/** An Anthropic-dialect gateway the user added (the case of a proxy in front of the API), then Groq. */
async function withAnthropic(config: Record<string, unknown> = {}) {
  const fake = await startFakeAnthropic({ apiKey: ANTHROPIC_KEY })
  const groq = await startFakeOpenAI({
    apiKey: GROQ_KEY,
    behavior: { kind: 'text', text: 'Hello from Groq.' },
  })
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['claude-proxy', 'groq'],
    routing: routeAll(['claude-proxy', 'groq']),
    providers: {
      'claude-proxy': {
        dialect: 'anthropic',
        base_url: fake.url,
        api_key: ANTHROPIC_KEY,
        model: 'claude-haiku-4-5',
      },
      groq: { base_url: groq.url, api_key: GROQ_KEY },
    },
    ...config,
  })
  running.push(smartsplit, fake, groq)
  return { fake, groq, smartsplit }
}

async function withGemini() {
  const fake = await startFakeGemini({ apiKey: GEMINI_KEY })
  const groq = await startFakeOpenAI({
    apiKey: GROQ_KEY,
    behavior: { kind: 'text', text: 'Hello from Groq.' },
  })
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['gemini', 'groq'],
    routing: routeAll(['gemini', 'groq']),
    providers: {
      gemini: { base_url: `${fake.url}/v1beta`, api_key: GEMINI_KEY },
      groq: { base_url: groq.url, api_key: GROQ_KEY },
    },
  })
  running.push(smartsplit, fake, groq)
  return { fake, groq, smartsplit }
}

describe.each([false, true])('a JSON body where SSE was asked for (client stream: %s)', (stream) => {
  it('Anthropic: a whole JSON message answers the stream: true request', async () => {
    const { fake, groq, smartsplit } = await withAnthropic()
    fake.script({ kind: 'text', text: 'Hello, team!', framing: 'json' })
    const answer = await ask(openai(smartsplit), { messages: [{ role: 'user', content: PROMPT }] }, stream)
    expect(answer.text).toBe('Hello, team!')
    expect(answer.usage).toMatchObject({ completion_tokens: 3 })
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^claude-proxy\/\S+=ok$/)
    expect(fake.requests.map((r) => [r.status, (r.body as { stream: unknown }).stream])).toEqual([
      [200, true],
    ])
    expect(groq.requests).toHaveLength(0)
  })

  it('Anthropic: a whole JSON tool call reaches an Anthropic SDK client as a tool_use block', async () => {
    const { fake, smartsplit } = await withAnthropic()
    fake.script({
      kind: 'tool_use',
      text: 'Checking.',
      calls: [{ id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }],
      framing: 'json',
    })
    const client = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
    const params = {
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      tools: [
        {
          name: 'get_weather',
          input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
        },
      ],
      messages: [{ role: 'user' as const, content: 'What should I wear in Paris?' }],
    }
    const message = stream
      ? await client.messages.stream(params).finalMessage()
      : await client.messages.create(params)
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'Checking.' }),
      expect.objectContaining({
        type: 'tool_use',
        id: 'toolu_01',
        name: 'get_weather',
        input: { city: 'Paris' },
      }),
    ])
  })

  it('Anthropic: a JSON error body sent with a 200 is an error, and the next provider answers', async () => {
    const { fake, groq, smartsplit } = await withAnthropic()
    const error = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }
    fake.script({ kind: 'raw', status: 200, contentType: 'application/json', body: JSON.stringify(error) })
    const answer = await ask(openai(smartsplit), { messages: [{ role: 'user', content: PROMPT }] }, stream)
    expect(answer.text).toBe('Hello from Groq.')
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(
      /^claude-proxy\/\S+=overloaded, groq\/\S+=ok$/,
    )
    expect(groq.requests).toHaveLength(1)
  })

  it('Anthropic: a JSON message larger than upstream_limits.max_answer_bytes is refused, not read whole', async () => {
    const { fake, groq, smartsplit } = await withAnthropic({ upstream_limits: { max_answer_bytes: 65_536 } })
    fake.script({ kind: 'text', text: 'word '.repeat(20_000), framing: 'json' })
    const answer = await ask(openai(smartsplit), { messages: [{ role: 'user', content: PROMPT }] }, stream)
    expect(answer.text).toBe('Hello from Groq.')
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^claude-proxy\/\S+=malformed, groq\/\S+=ok$/)
    expect(groq.requests).toHaveLength(1)
  })

  for (const framing of ['json-array', 'json-object'] as const) {
    it(`Gemini: a ${framing} body answers the alt=sse request`, async () => {
      const { fake, groq, smartsplit } = await withGemini()
      fake.respondWith({ type: 'text', chunks: ['Hello', ', team!'], framing })
      const answer = await ask(openai(smartsplit), { messages: [{ role: 'user', content: PROMPT }] }, stream)
      expect(answer.text).toBe('Hello, team!')
      expect(answer.usage?.completion_tokens).toBeGreaterThan(0)
      expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^gemini\/\S+=ok$/)
      expect(fake.requests.map((r) => r.url)).toEqual([
        expect.stringMatching(/:streamGenerateContent\?alt=sse$/),
      ])
      expect(groq.requests).toHaveLength(0)
    })
  }

  it('Gemini: a JSON error body sent with a 200 is an error, and the next provider answers', async () => {
    const { fake, groq, smartsplit } = await withGemini()
    fake.respondWith({
      type: 'raw',
      status: 200,
      contentType: 'application/json; charset=UTF-8',
      body: googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
    })
    const answer = await ask(openai(smartsplit), { messages: [{ role: 'user', content: PROMPT }] }, stream)
    expect(answer.text).toBe('Hello from Groq.')
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^gemini\/\S+=overloaded, groq\/\S+=ok$/)
    expect(groq.requests).toHaveLength(1)
  })
})
