import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeAnthropic, startFakeAnthropic } from '../fakes/fake-anthropic.js'
import { ask } from '../support/ask.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// A client's structured-output request reaches an Anthropic upstream as Anthropic's own structured output
// (output_config.format), in the schema subset the real API accepts: the fake refuses, like the API, an
// object without additionalProperties: false and a constraint it cannot enforce, so a request that lost
// or mistranslated the format would be seen here.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

// Nothing here asks for fresh facts, so no web-search instruction joins the system prompt.
const PROMPT = 'Turn this note into a record: Paris, 21 degrees, sunny.'
const ANSWER = '{"city":"Paris","temp_c":21,"tags":["sunny"]}'

/** What a client typically sends: open objects and a numeric bound, both outside Anthropic's subset. */
const weatherSchema = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    temp_c: { type: 'integer', minimum: -90, maximum: 60 },
    tags: { type: 'array', items: { type: 'string' } },
    source: { type: 'object', properties: { name: { type: 'string' } } },
  },
  required: ['city', 'temp_c', 'tags'],
}

const closedWeatherSchema = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    temp_c: { type: 'integer', description: '{minimum: -90, maximum: 60}' },
    tags: { type: 'array', items: { type: 'string' } },
    source: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
  },
  required: ['city', 'temp_c', 'tags'],
  additionalProperties: false,
}

async function start(): Promise<{ fake: FakeAnthropic; smartsplit: RunningSmartSplit }> {
  const fake = await startFakeAnthropic({ apiKey: 'sk-ant-test-0001' })
  fake.respondWith({ kind: 'text', text: ANSWER })
  const smartsplit = await startSmartSplit({
    free_llm_priority: [],
    providers: { anthropic: { enabled: true, base_url: fake.url, api_key: 'sk-ant-test-0001' } },
  })
  running.push(smartsplit, fake)
  return { fake, smartsplit }
}

function lastBody(fake: FakeAnthropic): Record<string, unknown> {
  const last = fake.requests.at(-1)!
  expect(last.status).toBe(200)
  return last.body as Record<string, unknown>
}

describe.each([false, true])('response_format to an Anthropic upstream (stream: %s)', (stream) => {
  it('sends json_schema as output_config.format, closed the way Anthropic requires', async () => {
    const { fake, smartsplit } = await start()
    const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    const answer = await ask(
      client,
      {
        messages: [{ role: 'user', content: PROMPT }],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'weather', strict: true, schema: weatherSchema },
        },
      },
      stream,
    )
    expect(JSON.parse(answer.text)).toEqual(JSON.parse(ANSWER))
    const body = lastBody(fake)
    expect(body.output_config).toEqual({ format: { type: 'json_schema', schema: closedWeatherSchema } })
    expect(body).not.toHaveProperty('response_format')
  })

  it('asks for a JSON object in the system prompt for json_object, which Anthropic has no field for', async () => {
    const { fake, smartsplit } = await start()
    const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    const answer = await ask(
      client,
      {
        messages: [
          { role: 'system', content: 'You turn notes into records.' },
          { role: 'user', content: PROMPT },
        ],
        response_format: { type: 'json_object' },
      },
      stream,
    )
    expect(JSON.parse(answer.text)).toMatchObject({ city: 'Paris' })
    const body = lastBody(fake)
    expect(body).not.toHaveProperty('output_config')
    expect(body.system).toMatch(/^You turn notes into records\.\n\nAnswer with a single valid JSON object/)
  })

  it('passes an Anthropic client’s output_config.format through to an Anthropic upstream', async () => {
    const { fake, smartsplit } = await start()
    const client = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
    const params = {
      model: 'claude-haiku-4-5',
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: PROMPT }],
      output_config: { format: { type: 'json_schema' as const, schema: weatherSchema } },
    }
    const message = stream
      ? await client.messages.stream(params).finalMessage()
      : await client.messages.create(params)
    const text = message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
    expect(JSON.parse(text)).toEqual(JSON.parse(ANSWER))
    expect(lastBody(fake).output_config).toEqual({
      format: { type: 'json_schema', schema: closedWeatherSchema },
    })
  })
})
