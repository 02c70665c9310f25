import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/lib/clock.js'
import { startFakeGemini } from '../fakes/fake-gemini.js'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { routeAll } from '../support/route-all.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Failures caused by the request rather than the provider: a 400/422 gets one second opinion from
// another provider (providers disagree on what is valid), and goes back to the client when that one
// rejects the request too; a context-length error moves on, to larger windows only. Neither counts
// toward the breaker.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

async function post(smartsplit: RunningSmartSplit) {
  const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text }
}

async function providerHealth(smartsplit: RunningSmartSplit, provider: string) {
  const body = (await (await fetch(`${smartsplit.url}/health`)).json()) as {
    state: {
      provider: string
      models: { breaker: { recentFailures: number }; keys: { state: string }[] }[]
    }[]
  }
  const found = body.state.find((p) => p.provider === provider)
  if (found === undefined) throw new Error(`${provider} is not in /health`)
  return found
}

/** Mistral's real 422 for a temperature over its 1.5 cap (OpenAI and Groq take up to 2). */
const MISTRAL_TEMPERATURE_422: FakeBehavior = {
  kind: 'error',
  status: 422,
  body: {
    object: 'error',
    message: {
      detail: [
        {
          type: 'less_than_equal',
          loc: ['body', 'temperature'],
          msg: 'Input should be less than or equal to 1.5',
        },
      ],
    },
    type: 'invalid_request_error',
    param: null,
    code: null,
  },
}

/** cerebras (failing as told) first, groq (answering) second. */
async function failingThenWorking(first: FakeBehavior) {
  const fake = await startFakeOpenAI({ apiKey: 'csk-first-key-0000000001', behavior: first })
  const second = await startFakeOpenAI({
    apiKey: 'gsk_second_key_000000002',
    behavior: { kind: 'text', text: 'Answer from groq.' },
  })
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: ['cerebras', 'groq'],
      routing: routeAll(['cerebras', 'groq']),
      providers: {
        cerebras: { base_url: fake.url, api_key: 'csk-first-key-0000000001' },
        groq: { base_url: second.url, api_key: 'gsk_second_key_000000002' },
      },
    },
    { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
  )
  running.push(smartsplit, fake, second)
  return { first: fake, second, smartsplit }
}

describe('failures about the request', () => {
  it.each([false, true])(
    "a 422 from one provider (Mistral's temperature cap) is answered by the next provider, with no breaker failure (stream: %s)",
    async (stream) => {
      const { first, second, smartsplit } = await failingThenWorking(MISTRAL_TEMPERATURE_422)
      const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
      const answer = await ask(
        client,
        { messages: [{ role: 'user', content: 'hi' }], temperature: 1.8 },
        stream,
      )
      expect(answer.status).toBe(200)
      expect(answer.text).toBe('Answer from groq.')
      expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^cerebras\/\S+=bad_request, groq\/\S+=ok$/)
      expect([first?.requests.length, second.requests.length]).toEqual([1, 1])
      const health = await providerHealth(smartsplit, 'cerebras')
      expect(health.models[0]?.breaker.recentFailures).toBe(0)
      expect(health.models[0]?.keys[0]?.state).toBe('ok')
    },
  )

  it.each([false, true])(
    'a request two providers reject gets the first rejection, and no third call (stream: %s)',
    async (stream) => {
      const cerebras = await startFakeOpenAI({
        apiKeys: ['csk-first-key-0000000001', 'csk-first-key-0000000002'],
        behavior: MISTRAL_TEMPERATURE_422,
      })
      const groq = await startFakeOpenAI({
        apiKey: 'gsk_second_key_000000002',
        behavior: {
          kind: 'error',
          status: 400,
          body: {
            error: {
              message: "'temperature' must be at most 2",
              type: 'invalid_request_error',
              param: 'temperature',
            },
          },
        },
      })
      const gemini = await startFakeGemini({ apiKey: 'gemini-third-key-00000003' })
      const smartsplit = await startSmartSplit(
        {
          free_llm_priority: ['cerebras', 'groq', 'gemini'],
          routing: routeAll(['cerebras', 'groq', 'gemini']),
          providers: {
            cerebras: {
              base_url: cerebras.url,
              api_keys: ['csk-first-key-0000000001', 'csk-first-key-0000000002'],
            },
            groq: { base_url: groq.url, api_key: 'gsk_second_key_000000002' },
            gemini: { base_url: `${gemini.url}/v1beta`, api_key: 'gemini-third-key-00000003' },
          },
        },
        { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
      )
      running.push(smartsplit, cerebras, groq, gemini)
      const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
      const refused = await ask(
        client,
        { messages: [{ role: 'user', content: 'hi' }], temperature: 1.8 },
        stream,
      ).then(
        () => null,
        (error: unknown) => error,
      )
      expect(refused).toBeInstanceOf(OpenAI.BadRequestError)
      const error = refused as InstanceType<typeof OpenAI.BadRequestError>
      expect(error.type).toBe('invalid_request_error')
      expect(error.message).toMatch(/less than or equal to 1\.5/)
      // The provider's second key would say the same: skipped without a call.
      expect([cerebras.requests.length, groq.requests.length, gemini.requests.length]).toEqual([1, 1, 0])
      for (const provider of ['cerebras', 'groq']) {
        expect((await providerHealth(smartsplit, provider)).models[0]?.breaker.recentFailures).toBe(0)
      }
    },
  )

  it('a context-length error moves on to a model with a larger window', async () => {
    // Cerebras' free tier caps context at 65K; Groq's model takes 131K.
    const { first, second, smartsplit } = await failingThenWorking({
      kind: 'error',
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 65536 tokens. However, your messages resulted in 70211 tokens. Please reduce the length of the messages.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
    })
    const answer = await post(smartsplit)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(
      /^cerebras\/\S+=context_length, groq\/\S+=ok$/,
    )
    expect([first?.requests.length, second.requests.length]).toEqual([1, 1])
    expect((await providerHealth(smartsplit, 'cerebras')).models[0]?.breaker.recentFailures).toBe(0)
  })

  it('after a context-length error, a model whose window is no larger is skipped without a call', async () => {
    const groq = await startFakeOpenAI({
      apiKey: 'gsk_first_key_0000000001',
      behavior: {
        kind: 'error',
        status: 400,
        body: {
          error: {
            message:
              "This model's maximum context length is 131072 tokens. However, you requested 140211 tokens (139187 in the messages, 1024 in the completion). Please reduce the length of the messages or completion.",
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        },
      },
    })
    const cerebras = await startFakeOpenAI({ apiKey: 'csk-second-key-000000002' })
    const gemini = await startFakeGemini({ apiKey: 'gemini-third-key-00000003' })
    const smartsplit = await startSmartSplit(
      {
        free_llm_priority: ['groq', 'cerebras', 'gemini'],
        routing: routeAll(['groq', 'cerebras', 'gemini']),
        providers: {
          groq: { base_url: groq.url, api_key: 'gsk_first_key_0000000001' },
          cerebras: { base_url: cerebras.url, api_key: 'csk-second-key-000000002' },
          gemini: { base_url: `${gemini.url}/v1beta`, api_key: 'gemini-third-key-00000003' },
        },
      },
      { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
    )
    running.push(smartsplit, groq, cerebras, gemini)
    const answer = await post(smartsplit)
    expect(answer.status).toBe(200)
    expect(answer.text).toContain('Hello from fake Gemini.')
    // Groq 131K → Cerebras' 65K free tier cannot help → Gemini's 1M.
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(
      /^groq\/\S+=context_length, cerebras\/\S+=skipped, gemini\/\S+=ok$/,
    )
    expect([groq.requests.length, cerebras.requests.length, gemini.requests.length]).toEqual([1, 0, 1])
  })

  // Groq's real body names the failure only in `code`; the message has none of the phrases
  // classifyUpstreamStatus looks for, so it is read as an ordinary 400 and returned to the client.
  // Reported (fix belongs in providers/openai-compatible); flip to `it` once the code is read.
  it("Groq's context_length_exceeded (message without the usual phrase) also fails over", async () => {
    const { second, smartsplit } = await failingThenWorking({
      kind: 'error',
      status: 400,
      body: {
        error: {
          message: 'Please reduce the length of the messages or completion.',
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      },
    })
    const answer = await post(smartsplit)
    expect(answer.status).toBe(200)
    expect(second.requests.length).toBe(1)
  })
})

describe('a request SmartSplit cannot translate for a provider', () => {
  const imageRequest = (url: string, stream: boolean) => ({
    model: 'smartsplit',
    stream,
    messages: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url } },
        ],
      },
    ],
  })

  it.each([false, true])(
    'is the client’s 400, naming the field, and never opens the provider’s breaker (stream: %s)',
    async (stream) => {
      const fake = await startFakeGemini({ apiKey: 'gemini-test-key-01' })
      const smartsplit = await startSmartSplit({
        free_llm_priority: ['gemini'],
        providers: { gemini: { base_url: `${fake.url}/v1beta`, api_key: 'gemini-test-key-01' } },
      })
      running.push(smartsplit, fake)
      const post = (url: string) =>
        fetch(`${smartsplit.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(imageRequest(url, stream)),
        })
      for (const url of [
        'ftp://example.com/cat.png',
        'data:image/png;base64',
        'file:///etc/passwd',
        'data:',
      ]) {
        const response = await post(url)
        expect(response.status).toBe(400)
        const body = (await response.json()) as { error: { type: string; param: string | null } }
        expect(body.error.type).toBe('invalid_request_error')
        expect(body.error.param).toContain('image_url')
      }
      expect(fake.requests).toHaveLength(0)
      const gemini = await providerHealth(smartsplit, 'gemini')
      expect(gemini.models.every((model) => model.breaker.recentFailures === 0)).toBe(true)
      const valid = await post('data:image/png;base64,iVBORw0KGgo=')
      expect(valid.status).toBe(200)
      await valid.text()
      expect(fake.requests).toHaveLength(1)
    },
  )
})
