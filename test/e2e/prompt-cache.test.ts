import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/lib/clock.js'
import { startFakeAnthropic } from '../fakes/fake-anthropic.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 17 §2: cached prompt tokens are read from every provider's usage (OpenAI-compatible
// cached_tokens, DeepSeek's prompt_cache_hit_tokens, Anthropic's cache_read_input_tokens), returned in
// each client dialect's usage, counted in /metrics and /savings, and left out of the rate-limit count
// of a provider that does not count them (Groq) while a provider that does (Cerebras) is charged them.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const PROMPT = 5_000
const CACHED = 4_000
const TPM = 100_000
const LIMITS = { rpm: 1_000, rpd: 100_000, tpm: TPM, tpd: 100_000_000 }

const openAIUsage = () => ({
  prompt_tokens: PROMPT,
  completion_tokens: 10,
  total_tokens: PROMPT + 10,
  prompt_tokens_details: { cached_tokens: CACHED },
})
const deepSeekUsage = () => ({
  prompt_tokens: PROMPT,
  completion_tokens: 10,
  total_tokens: PROMPT + 10,
  prompt_cache_hit_tokens: CACHED,
  prompt_cache_miss_tokens: PROMPT - CACHED,
})

interface Setup {
  smartsplit: RunningSmartSplit
  fakes: Record<'groq' | 'cerebras' | 'deepseek', FakeOpenAI>
}

async function setUp(): Promise<Setup> {
  const groq = await startFakeOpenAI({ apiKey: 'gk', usage: openAIUsage })
  const cerebras = await startFakeOpenAI({ apiKey: 'ck', usage: openAIUsage })
  const deepseek = await startFakeOpenAI({ apiKey: 'dk', usage: deepSeekUsage })
  const anthropic = await startFakeAnthropic({ apiKey: 'ak', cacheReadTokens: CACHED })
  running.push(groq, cerebras, deepseek, anthropic)
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: ['groq', 'cerebras'],
      providers: {
        groq: { base_url: groq.url, api_key: 'gk', limits: LIMITS },
        cerebras: { base_url: cerebras.url, api_key: 'ck', limits: LIMITS },
        deepseek: { base_url: deepseek.url, api_key: 'dk', enabled: true },
        anthropic: { base_url: anthropic.url, api_key: 'ak', enabled: true },
      },
    },
    { clock: new ManualClock() },
  )
  running.push(smartsplit)
  return { smartsplit, fakes: { groq, cerebras, deepseek } }
}

const MESSAGES = [
  { role: 'system' as const, content: 'You are a coding agent.' },
  { role: 'user' as const, content: 'Hello again.' },
]

/** Tokens left in the per-minute window of a provider's first key, as GET /health shows them. */
async function tokensLeft(smartsplit: RunningSmartSplit, provider: string): Promise<number | null> {
  const health = (await (await fetch(`${smartsplit.url}/health`)).json()) as {
    state: { provider: string; models: { keys: { remaining: { tokensMinute: number | null } }[] }[] }[]
  }
  const found = health.state.find((entry) => entry.provider === provider)
  return found?.models.flatMap((model) => model.keys)[0]?.remaining.tokensMinute ?? null
}

describe.each([false, true])('cached prompt tokens (stream: %s)', (stream) => {
  it('reach the client in every dialect, /metrics and /savings', async () => {
    const { smartsplit } = await setUp()
    const openai = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    for (const model of ['groq/openai/gpt-oss-120b', 'deepseek/deepseek-chat']) {
      const answer = await ask(openai, { model, messages: MESSAGES }, stream)
      expect(answer.usage?.prompt_tokens).toBe(PROMPT)
      expect(answer.usage?.prompt_tokens_details?.cached_tokens).toBe(CACHED)
    }

    // Anthropic's cache reads, answered in the OpenAI dialect and in Anthropic's own.
    const viaChat = await ask(openai, { model: 'anthropic/claude-haiku-4-5', messages: MESSAGES }, stream)
    expect(viaChat.usage?.prompt_tokens_details?.cached_tokens).toBe(CACHED)
    const claude = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
    const params = {
      model: 'groq/openai/gpt-oss-120b',
      max_tokens: 100,
      system: 'You are a coding agent.',
      messages: [{ role: 'user' as const, content: 'Hello again.' }],
    }
    let anthropicUsage: { input_tokens: number | null; cache_read_input_tokens: number | null }
    if (!stream) anthropicUsage = (await claude.messages.create(params)).usage
    else {
      anthropicUsage = { input_tokens: null, cache_read_input_tokens: null }
      for await (const event of await claude.messages.create({ ...params, stream: true })) {
        if (event.type === 'message_delta') anthropicUsage = event.usage
      }
    }
    expect(anthropicUsage).toMatchObject({ input_tokens: PROMPT - CACHED, cache_read_input_tokens: CACHED })

    // The Responses API reports them as input_tokens_details.cached_tokens.
    const responseParams = { model: 'groq/openai/gpt-oss-120b', input: 'Hello again.', store: false }
    let responseCached: number | undefined
    if (!stream)
      responseCached = (await openai.responses.create(responseParams)).usage?.input_tokens_details
        .cached_tokens
    else {
      for await (const event of await openai.responses.create({ ...responseParams, stream: true })) {
        if (event.type === 'response.completed')
          responseCached = event.response.usage?.input_tokens_details.cached_tokens
      }
    }
    expect(responseCached).toBe(CACHED)

    const metrics = (await (await fetch(`${smartsplit.url}/metrics`)).json()) as {
      providers: Record<string, { prompt_cache: { prompt_tokens: number; cached_tokens: number } }>
      prompt_cache: { cached_share: number }
    }
    expect(metrics.providers.groq?.prompt_cache).toEqual({
      prompt_tokens: 3 * PROMPT,
      cached_tokens: 3 * CACHED,
      cached_share: 0.8,
    })
    expect(metrics.providers.deepseek?.prompt_cache.cached_tokens).toBe(CACHED)
    expect(metrics.prompt_cache.cached_share).toBeGreaterThan(0.5)
    const prometheus = await (await fetch(`${smartsplit.url}/metrics?format=prometheus`)).text()
    expect(prometheus).toContain(`smartsplit_cached_prompt_tokens_total{provider="groq"} ${3 * CACHED}`)

    const savings = (await (await fetch(`${smartsplit.url}/savings`)).json()) as {
      prompt_cache: { providers: Record<string, { cached_tokens: number; cached_share: number }> }
    }
    expect(savings.prompt_cache.providers.groq).toEqual({
      prompt_tokens: 3 * PROMPT,
      cached_tokens: 3 * CACHED,
      cached_share: 0.8,
    })
    expect(savings.prompt_cache.providers.deepseek?.cached_tokens).toBe(CACHED)
  })

  it("stay out of the rate-limit count of a provider that does not count them (Groq), not Cerebras'", async () => {
    const { smartsplit, fakes } = await setUp()
    const openai = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    await ask(openai, { model: 'groq/openai/gpt-oss-120b', messages: MESSAGES }, stream)
    await ask(openai, { model: 'cerebras/gpt-oss-120b', messages: MESSAGES }, stream)
    expect(fakes.groq.requests).toHaveLength(1)
    expect(fakes.cerebras.requests).toHaveLength(1)
    // Groq: "Cached tokens do not count towards your rate limits"; Cerebras publishes no such thing.
    expect(await tokensLeft(smartsplit, 'groq')).toBe(TPM - (PROMPT - CACHED + 10))
    expect(await tokensLeft(smartsplit, 'cerebras')).toBe(TPM - (PROMPT + 10))
  })
})
