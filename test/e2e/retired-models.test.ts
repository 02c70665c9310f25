import { afterEach, describe, expect, it } from 'vitest'
import { CATALOG } from '../../src/providers/catalog.js'
import { startFakeGemini } from '../fakes/fake-gemini.js'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { NEW_PROVIDER_ANSWERS } from '../fakes/provider-answers.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 18 §3: a provider's "this model is gone" answer (404 model_not_found, 400 model_decommissioned,
// 410 Gone, Gemini's NOT_FOUND) retires the model on the first failure: the same request is answered by
// the provider's next model, later requests go there directly, a warning is logged once, and /health
// shows it. Each variant answers with the provider's own error body; streamed and not.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

interface Variant {
  provider: string
  apiKey: string
  retired: string
  next: string
  gone: FakeBehavior
}

const variants: [string, Variant][] = [
  [
    'Groq 404 model_not_found',
    {
      provider: 'groq',
      apiKey: 'gsk_retired_test_key_000000001',
      retired: 'openai/gpt-oss-120b',
      next: 'llama-3.1-8b-instant',
      gone: {
        kind: 'error',
        status: 404,
        body: {
          error: {
            message: 'The model `openai/gpt-oss-120b` does not exist or you do not have access to it.',
            type: 'invalid_request_error',
            code: 'model_not_found',
          },
        },
      },
    },
  ],
  [
    'Groq 400 model_decommissioned',
    {
      provider: 'groq',
      apiKey: 'gsk_retired_test_key_000000002',
      retired: 'openai/gpt-oss-120b',
      next: 'llama-3.1-8b-instant',
      gone: {
        kind: 'error',
        status: 400,
        body: {
          error: {
            message:
              'The model `openai/gpt-oss-120b` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.',
            type: 'invalid_request_error',
            code: 'model_decommissioned',
          },
        },
      },
    },
  ],
  [
    'SambaNova 410 Gone',
    {
      provider: 'sambanova',
      apiKey: 'sambanova-retired-test-key-01',
      retired: 'DeepSeek-V3.1',
      next: 'gpt-oss-120b',
      gone: {
        kind: 'error',
        status: 410,
        body: {
          error: {
            message: 'The requested model is no longer available',
            type: 'invalid_request_error',
            param: 'model',
            code: null,
          },
          request_id: '2a8b3c4d-1234-5678-abcd-ef0123456789',
        },
      },
    },
  ],
  [
    'OpenRouter 404 for a :free model that left the pool',
    {
      provider: 'openrouter',
      apiKey: 'sk-or-v1-retiredtestkey00000001',
      retired: 'openrouter/free',
      next: 'meta-llama/llama-3.3-70b-instruct:free',
      gone: {
        kind: 'error',
        status: 404,
        body: {
          error: { message: 'No endpoints found for openrouter/free.', code: 404 },
          user_id: 'user_fake',
        },
      },
    },
  ],
]

// The providers added for issue 18: their strong model gone, in their own words; the next is the
// provider's first other configured model.
for (const answers of NEW_PROVIDER_ANSWERS) {
  const entry = CATALOG[answers.provider]!
  const next = [entry.model, entry.fastModel].find((model) => model !== entry.strongModel)!
  variants.push([
    `${answers.provider} answering that its model is gone`,
    {
      provider: answers.provider,
      apiKey: answers.apiKey,
      retired: entry.strongModel,
      next,
      gone: answers.modelGone(entry.strongModel),
    },
  ])
}

// Long enough for the quality gate to take it as an answer; the marker names the model that wrote it.
const answerFrom = (model: unknown): FakeBehavior => ({
  kind: 'text',
  text: `A token bucket lets a tenant burst up to the bucket size and then refills at a steady rate, while a sliding window counts requests over the last minute and smooths bursts. Under bursty load the bucket keeps latency low for short spikes; the window is fairer across tenants. Choose the bucket with a per-tenant size, and a global window as a backstop. answered-by:${String(model)}`,
})

const answerText = (answerFrom('gemini') as { text: string }).text

const HARD_PROMPT =
  'Design a rate limiter for a multi-tenant API: compare token bucket and sliding window, analyse the trade-offs under bursty load, and justify the choice step by step.'

async function ask(smartsplit: RunningSmartSplit, stream: boolean) {
  const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', stream, messages: [{ role: 'user', content: HARD_PROMPT }] }),
  })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

interface HealthBody {
  state: { provider: string; retiredModels: { model: string; reason: string }[] }[]
}

describe('a retired model is noticed and routed around on the first failure', () => {
  for (const [name, variant] of variants) {
    for (const stream of [false, true]) {
      it(`${name} (${stream ? 'streamed' : 'collected'})`, async () => {
        const fake = await startFakeOpenAI({
          apiKey: variant.apiKey,
          behavior: (body) => (body.model === variant.retired ? variant.gone : answerFrom(body.model)),
        })
        const smartsplit = await startSmartSplit({
          free_llm_priority: [variant.provider],
          mode: 'quality',
          providers: { [variant.provider]: { base_url: fake.url, api_key: variant.apiKey } },
        })
        running.push(smartsplit, fake)

        const first = await ask(smartsplit, stream)
        expect(first.status).toBe(200)
        expect(first.text).toContain(`answered-by:${variant.next}`)
        expect(first.headers.get('x-smartsplit-attempts')).toBe(
          `${variant.provider}/${variant.retired}=model_retired, ${variant.provider}/${variant.next}=ok`,
        )
        expect(fake.requests.map((r) => r.body.model)).toEqual([variant.retired, variant.next])

        // Later requests go to the next model without calling the retired one.
        const second = await ask(smartsplit, stream)
        expect(second.status).toBe(200)
        expect(fake.requests.map((r) => r.body.model)).toEqual([variant.retired, variant.next, variant.next])

        const health = (await (await fetch(`${smartsplit.url}/health`)).json()) as HealthBody
        const retired = health.state.find((p) => p.provider === variant.provider)?.retiredModels
        expect(retired?.map((r) => r.model)).toEqual([variant.retired])
        const warnings = smartsplit.logs.filter((line) => line.includes('no longer serves'))
        expect(warnings).toHaveLength(1)
        expect(warnings[0]).not.toContain(variant.apiKey)
      })
    }
  }

  for (const stream of [false, true]) {
    it(`Gemini 404 NOT_FOUND for a shut-down model (${stream ? 'streamed' : 'collected'})`, async () => {
      const apiKey = 'gemini-retired-test-key-001'
      const fake = await startFakeGemini({
        apiKey,
        models: ['gemini-3.1-flash-lite'],
        defaultScript: { type: 'text', chunks: [answerText] },
      })
      const smartsplit = await startSmartSplit({
        free_llm_priority: ['gemini'],
        mode: 'quality',
        providers: { gemini: { base_url: `${fake.url}/v1beta`, api_key: apiKey } },
      })
      running.push(smartsplit, fake)
      const first = await ask(smartsplit, stream)
      expect(first.status).toBe(200)
      expect(first.headers.get('x-smartsplit-attempts')).toBe(
        'gemini/gemini-3.8-flash=model_retired, gemini/gemini-3.1-flash-lite=ok',
      )
      expect(fake.requests.map((r) => r.model)).toEqual(['gemini-3.8-flash', 'gemini-3.1-flash-lite'])
    })
  }

  it('does not retire a model for a 404 about the request (OpenRouter: no endpoint supports tools)', async () => {
    const apiKey = 'sk-or-v1-notretiredkey000000001'
    const fake = await startFakeOpenAI({
      apiKey,
      behavior: {
        kind: 'error',
        status: 404,
        body: {
          error: {
            message:
              'No endpoints found that support tool use. To learn more about provider routing, visit: https://openrouter.ai/docs/provider-routing',
            code: 404,
          },
        },
      },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['openrouter'],
      providers: { openrouter: { base_url: fake.url, api_key: apiKey } },
    })
    running.push(smartsplit, fake)
    const answer = await ask(smartsplit, false)
    expect(answer.status).toBe(502)
    expect(answer.text).toContain('No endpoints found that support tool use')
    // Not retired: the next request asks the same model again.
    await ask(smartsplit, true)
    expect(fake.requests.map((r) => r.body.model)).toEqual(['openrouter/free', 'openrouter/free'])
    const health = (await (await fetch(`${smartsplit.url}/health`)).json()) as HealthBody
    expect(health.state.find((p) => p.provider === 'openrouter')?.retiredModels).toEqual([])
  })
})
