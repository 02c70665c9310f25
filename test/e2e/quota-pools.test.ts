import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 18 §1 over HTTP: one key, two models with different limits, each counted on its own (seen in
// /health); two keys of one OpenRouter account in one pool, shown as such with what they add.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

interface KeyHealth {
  key: string
  pool: string
  remaining: { requestsMinute: number | null; requestsDay: number | null }
  limits: { rpm: number | null; rpd: number | null; tpm: number | null; tpd: number | null }
}
interface ProviderHealth {
  provider: string
  capacity: { pools: string[]; keys: number; advice: string }
  models: { model: string; keys: KeyHealth[] }[]
}

async function health(smartsplit: RunningSmartSplit): Promise<ProviderHealth[]> {
  return ((await (await fetch(`${smartsplit.url}/health`)).json()) as { state: ProviderHealth[] }).state
}

async function ask(smartsplit: RunningSmartSplit, model: string, stream: boolean) {
  const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
  })
  await response.text()
  return response.status
}

describe('limits per model and quota pools, as /health shows them', () => {
  it('counts one key’s two models separately, each against its own published limits', async () => {
    const apiKey = 'gsk_quota_pools_key_000000001'
    const fake = await startFakeOpenAI({ apiKey })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: fake.url, api_key: apiKey } },
    })
    running.push(smartsplit, fake)
    for (const stream of [false, true])
      expect(await ask(smartsplit, 'groq/openai/gpt-oss-120b', stream)).toBe(200)
    expect(await ask(smartsplit, 'groq/llama-3.1-8b-instant', false)).toBe(200)
    const groq = (await health(smartsplit)).find((p) => p.provider === 'groq')!
    const keyOf = (model: string) => groq.models.find((m) => m.model === model)!.keys[0]!
    expect(keyOf('openai/gpt-oss-120b')).toMatchObject({
      pool: 'default',
      limits: { rpm: 30, rpd: 1_000, tpm: 8_000, tpd: 200_000 },
      remaining: { requestsMinute: 28, requestsDay: 998 },
    })
    expect(keyOf('llama-3.1-8b-instant')).toMatchObject({
      limits: { rpm: 30, rpd: 14_400, tpm: 6_000, tpd: 500_000 },
      remaining: { requestsMinute: 29, requestsDay: 14_399 },
    })
  })

  it('puts two keys of one OpenRouter account in one pool: one key’s use is the other’s', async () => {
    const keys = ['sk-or-v1-quotapoolskey00000000a', 'sk-or-v1-quotapoolskey00000000b']
    const fake = await startFakeOpenAI({ apiKeys: keys })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['openrouter'],
      providers: { openrouter: { base_url: fake.url, api_keys: keys } },
    })
    running.push(smartsplit, fake)
    expect(await ask(smartsplit, 'openrouter/openrouter/free', true)).toBe(200)
    const openrouter = (await health(smartsplit)).find((p) => p.provider === 'openrouter')!
    expect(openrouter.capacity).toMatchObject({ pools: ['default'], keys: 2 })
    expect(openrouter.capacity.advice).toContain('neither more keys nor more accounts add capacity')
    const model = openrouter.models.find((m) => m.model === 'openrouter/free')!
    expect(model.keys.map((k) => [k.pool, k.remaining.requestsDay])).toEqual([
      ['default', 49],
      ['default', 49],
    ])
    // The other :free model draws on the same account-wide 50 a day.
    const fast = openrouter.models.find((m) => m.model === 'meta-llama/llama-3.3-70b-instruct:free')!
    expect(fast.keys[1]?.remaining.requestsDay).toBe(49)
  })
})
