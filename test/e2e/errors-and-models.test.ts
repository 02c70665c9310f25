import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

// Every error a client sees is OpenAI-shaped, with the right status, and says what to do.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: ErrorBody }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  })
  const json = (await response.json()) as ErrorBody
  return { status: response.status, headers: response.headers, body: json }
}

function expectErrorShape(body: ErrorBody): void {
  assertMatchesSchema('ErrorResponse', body)
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type'])
}

async function withOneProvider(body_limit_bytes?: number) {
  const fake = await startFakeOpenAI({ apiKey: 'gsk_test_key_0001' })
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: 'gsk_test_key_0001', model: 'gpt-oss-120b' } },
    ...(body_limit_bytes === undefined ? {} : { server: { body_limit_bytes } }),
  })
  running.push(smartsplit, fake)
  return { fake, smartsplit }
}

describe('bad input', () => {
  it('answers invalid JSON with a 400', async () => {
    const { smartsplit, fake } = await withOneProvider()
    const result = await post(smartsplit.url, '{"model": "smartsplit", "messages": [')
    expect(result.status).toBe(400)
    expectErrorShape(result.body)
    expect(result.body.error.message).toMatch(/not valid JSON/)
    expect(fake.requests.length).toBe(0)
  })

  it.each([
    [{ messages: [{ role: 'user', content: 'hi' }] }, 'model'],
    [{ model: 'smartsplit', messages: [] }, 'messages'],
    [{ model: 'smartsplit', messages: [{ role: 'wizard', content: 'hi' }] }, 'messages.0'],
    [{ model: 'smartsplit', messages: [{ role: 'tool', content: 'x' }] }, 'messages.0'],
    [{ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' }, 'temperature'],
    [{ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }], max_tokens: -5 }, 'max_tokens'],
    [
      {
        model: 'smartsplit',
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ type: 'function', function: {} }],
      },
      'tools.0',
    ],
  ])('rejects %j naming %s', async (body, param) => {
    const { smartsplit } = await withOneProvider()
    const result = await post(smartsplit.url, JSON.stringify(body))
    expect(result.status).toBe(400)
    expectErrorShape(result.body)
    expect(result.body.error.param ?? '').toContain(param)
    expect(result.body.error.message).toContain(param)
  })

  it('answers a body over the limit with a 413', async () => {
    const { smartsplit } = await withOneProvider(1000)
    const result = await post(
      smartsplit.url,
      JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'x'.repeat(2000) }] }),
    )
    expect(result.status).toBe(413)
    expectErrorShape(result.body)
    expect(result.body.error.message).toMatch(/body_limit_bytes/)
  })

  it('answers an unknown route with a 404', async () => {
    const { smartsplit } = await withOneProvider()
    const response = await fetch(`${smartsplit.url}/v1/nothing-here`)
    expect(response.status).toBe(404)
    expectErrorShape((await response.json()) as ErrorBody)
  })

  it('answers a pinned model of a disabled provider with a 404 that says why', async () => {
    const { smartsplit } = await withOneProvider()
    const result = await post(
      smartsplit.url,
      JSON.stringify({ model: 'mistral/mistral-small-latest', messages: [{ role: 'user', content: 'hi' }] }),
    )
    expect(result.status).toBe(404)
    expect(result.body.error.code).toBe('model_not_found')
    expect(result.body.error.message).toMatch(/MISTRAL_API_KEY/)
  })
})

describe('when providers cannot answer', () => {
  it('answers 503 with how to add a key when no provider is configured', async () => {
    const smartsplit = await startSmartSplit({})
    running.push(smartsplit)
    const result = await post(
      smartsplit.url,
      JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
    )
    expect(result.status).toBe(503)
    expectErrorShape(result.body)
    expect(result.body.error.message).toMatch(/GROQ_API_KEY/)
    expect(result.headers.get('x-smartsplit-provider')).toBe('none')
    const health = (await (await fetch(`${smartsplit.url}/health`)).json()) as {
      status: string
      providers: { enabled: number }
    }
    expect(health.status).toBe('no_providers')
    expect(health.providers.enabled).toBe(0)
  })

  it('answers 429 with Retry-After when every provider is rate-limited', async () => {
    const limited = {
      kind: 'error' as const,
      status: 429,
      headers: { 'retry-after': '12' },
      body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
    }
    const a = await startFakeOpenAI({ apiKey: 'key-a-0000001', behavior: limited })
    const b = await startFakeOpenAI({
      apiKey: 'key-b-0000002',
      behavior: { ...limited, headers: { 'retry-after': '30' } },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['groq', 'cerebras'],
      // Equal rows: the chain follows free_llm_priority, so the message lists groq first.
      routing: { general: ['groq = cerebras'], boilerplate: ['groq = cerebras'] },
      providers: {
        groq: { base_url: a.url, api_key: 'key-a-0000001' },
        cerebras: { base_url: b.url, api_key: 'key-b-0000002' },
      },
    })
    running.push(smartsplit, a, b)
    const result = await post(
      smartsplit.url,
      JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
    )
    expect(result.status).toBe(429)
    expectErrorShape(result.body)
    expect(result.headers.get('retry-after')).toBe('12')
    expect(result.body.error.message).toMatch(/groq.*cerebras/)
  })

  it('answers 502 naming what was tried, without secrets, when all fail', async () => {
    const a = await startFakeOpenAI({
      apiKey: 'gsk_secretsecret0001',
      behavior: {
        kind: 'error',
        status: 500,
        body: { error: { message: 'boom with key gsk_secretsecret0001' } },
      },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: a.url, api_key: 'gsk_secretsecret0001' } },
    })
    running.push(smartsplit, a)
    const result = await post(
      smartsplit.url,
      JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
    )
    expect(result.status).toBe(502)
    expectErrorShape(result.body)
    expect(result.body.error.message).toMatch(/groq/)
    expect(JSON.stringify(result.body)).not.toContain('gsk_secretsecret0001')
    expect(smartsplit.logs.join('')).not.toContain('gsk_secretsecret0001')
  })
})

describe('models and pins', () => {
  it('lists smartsplit ids and each enabled provider model, spec-valid', async () => {
    const { smartsplit } = await withOneProvider()
    const list = (await (await fetch(`${smartsplit.url}/v1/models`)).json()) as { data: { id: string }[] }
    assertMatchesSchema('ListModelsResponse', list)
    const ids = list.data.map((m) => m.id)
    expect(ids).toEqual(
      expect.arrayContaining([
        'smartsplit',
        'smartsplit-economy',
        'smartsplit-balanced',
        'smartsplit-quality',
        'groq/gpt-oss-120b',
      ]),
    )
    expect(ids.some((id) => id.startsWith('mistral/'))).toBe(false)
    const one = await fetch(`${smartsplit.url}/v1/models/groq/gpt-oss-120b`)
    expect(one.status).toBe(200)
  })

  it('sends a provider/model pin to that provider and model', async () => {
    const { smartsplit, fake } = await withOneProvider()
    const response = await fetch(`${smartsplit.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'groq/llama-3.1-8b-instant',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    })
    expect(response.status).toBe(200)
    expect(fake.requests.at(-1)!.body.model).toBe('llama-3.1-8b-instant')
    expect(response.headers.get('x-smartsplit-model')).toBe('llama-3.1-8b-instant')
  })

  it('routes any other model id automatically', async () => {
    const { smartsplit, fake } = await withOneProvider()
    const response = await fetch(`${smartsplit.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(response.status).toBe(200)
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-oss-120b')
  })
})

describe('provider quirks are applied', () => {
  it('sends Mistral only the fields its schema allows (it answers 422 to others)', async () => {
    const allowed = [
      'model',
      'messages',
      'temperature',
      'top_p',
      'max_tokens',
      'stream',
      'stop',
      'random_seed',
      'response_format',
      'tools',
      'tool_choice',
      'presence_penalty',
      'frequency_penalty',
      'n',
      'prediction',
      'parallel_tool_calls',
      'safe_prompt',
      // In ChatCompletionRequest of the vendored Mistral spec (test/fixtures/spec/mistral-openapi.yaml).
      'prompt_cache_key',
    ]
    const fake = await startFakeOpenAI({
      apiKey: 'mistral-test-key',
      allowedFields: allowed,
      behavior: { kind: 'text', text: 'Bonjour.' },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['mistral'],
      providers: { mistral: { base_url: fake.url, api_key: 'mistral-test-key' } },
    })
    running.push(smartsplit, fake)
    const response = await fetch(`${smartsplit.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'smartsplit',
        stream: true,
        stream_options: { include_usage: true },
        max_completion_tokens: 100,
        seed: 3,
        user: 'u',
        temperature: 1.9,
        messages: [{ role: 'user', content: 'hi', name: 'me' }],
      }),
    })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Bonjour.')
    const sent = fake.requests.at(-1)!.body
    expect(sent).toMatchObject({ max_tokens: 100, random_seed: 3, temperature: 1.5 })
    expect(sent).not.toHaveProperty('stream_options')
    expect(sent).not.toHaveProperty('user')
    expect(sent.messages).toEqual([{ role: 'user', content: 'hi' }])
  })
})
