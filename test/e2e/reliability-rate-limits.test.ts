import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/lib/clock.js'
import { startFakeGemini } from '../fakes/fake-gemini.js'
import { type FakeBehavior, type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { NEW_PROVIDER_ANSWERS } from '../fakes/provider-answers.js'
import { routeAll } from '../support/route-all.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 6: a 429 is a cooldown for exactly the time the provider gave (in each provider's own format),
// never a breaker failure; a daily quota is off until the provider's midnight; when nothing is left the
// client gets 429 + Retry-After (only rate limits) or 502 naming what was tried; daily counts survive a
// restart. Time moves only through the ManualClock; "skipped" is asserted by the fakes' request counts.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const SECOND_MS = 1000

interface KeyHealth {
  key: string
  state: string
  untilMs: number | null
  reason: string | null
}
interface ProviderHealth {
  provider: string
  models: { model: string; breaker: { state: string; recentFailures: number }; keys: KeyHealth[] }[]
}

async function post(smartsplit: RunningSmartSplit) {
  const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text }
}

/** The model a request went to, as /health shows it. */
async function modelHealth(smartsplit: RunningSmartSplit, provider: string, model: string) {
  const body = (await (await fetch(`${smartsplit.url}/health`)).json()) as { state: ProviderHealth[] }
  const found = body.state.find((p) => p.provider === provider)?.models.find((m) => m.model === model)
  if (found === undefined) throw new Error(`${provider}/${model} is not in /health`)
  return found
}

/** A rate-limited upstream as one real provider sends it; `requests()` counts calls that reached it. */
interface Limited {
  provider: string
  baseUrl: string
  apiKey: string
  cooldownMs: number
  requests(): number
  close(): Promise<void>
}

function openAILike(
  provider: string,
  cooldownMs: number,
  rateLimited: (clock: ManualClock) => FakeBehavior,
): (clock: ManualClock) => Promise<Limited> {
  return async (clock) => {
    const apiKey = `${provider}-key-0000000000001`
    const fake = await startFakeOpenAI({ apiKey })
    fake.queue.push(rateLimited(clock))
    return {
      provider,
      baseUrl: fake.url,
      apiKey,
      cooldownMs,
      requests: () => fake.requests.length,
      close: () => fake.close(),
    }
  }
}

const variants: [string, (clock: ManualClock) => Promise<Limited>][] = [
  [
    'Cerebras 429 with retry-after (seconds)',
    openAILike('cerebras', 7 * SECOND_MS, () => ({
      kind: 'error',
      status: 429,
      headers: { 'retry-after': '7' },
      body: {
        message: 'Requests per minute limit exceeded - too many requests sent.',
        type: 'too_many_requests_error',
        param: 'quota',
        code: 'request_quota_exceeded',
      },
    })),
  ],
  [
    "Groq 429 with only x-ratelimit-reset-* Go durations (tokens per minute spent: '7.66s')",
    openAILike('groq', 7_660, () => ({
      kind: 'error',
      status: 429,
      headers: {
        'x-ratelimit-limit-requests': '1000',
        'x-ratelimit-remaining-requests': '987',
        'x-ratelimit-reset-requests': '18m43.2s',
        'x-ratelimit-limit-tokens': '6000',
        'x-ratelimit-remaining-tokens': '0',
        'x-ratelimit-reset-tokens': '7.66s',
      },
      body: {
        error: {
          message:
            'Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01fake` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5988, Requested 1036. Please try again in 7.66s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing',
          type: 'tokens',
          code: 'rate_limit_exceeded',
        },
      },
    })),
  ],
  [
    'OpenRouter 429 with X-RateLimit-Reset in epoch milliseconds',
    openAILike('openrouter', 42 * SECOND_MS, (clock) => {
      const headers = {
        'X-RateLimit-Limit': '20',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(clock.nowMs() + 42 * SECOND_MS),
      }
      return {
        kind: 'error',
        status: 429,
        headers,
        body: {
          error: {
            message: 'Rate limit exceeded: free-models-per-min. ',
            code: 429,
            metadata: { headers, provider_name: null },
          },
          user_id: 'user_fake',
        },
      }
    }),
  ],
  [
    "Gemini 429 RESOURCE_EXHAUSTED per minute with RetryInfo.retryDelay '45.837906927s'",
    async () => {
      const apiKey = 'gemini-key-00000000000001'
      const fake = await startFakeGemini({ apiKey })
      fake.respondWith({ type: 'rateLimit', window: 'minute', retryDelay: '45.837906927s' })
      return {
        provider: 'gemini',
        baseUrl: `${fake.url}/v1beta`,
        apiKey,
        cooldownMs: 45_838,
        requests: () => fake.requests.length,
        close: () => fake.close(),
      }
    },
  ],
]

// The providers added for issue 18, each 429 as that provider sends it (test/fakes/provider-answers.ts).
for (const answers of NEW_PROVIDER_ANSWERS) {
  const { cooldownMs } = answers.rateLimited(0)
  variants.push([
    `${answers.provider} 429 as it sends it`,
    openAILike(answers.provider, cooldownMs, (clock) => answers.rateLimited(clock.nowMs()).behavior),
  ])
}

/** The limited provider first, Mistral (always answering unless told) second. */
async function limitedThenMistral(limited: Limited, clock: ManualClock) {
  const mistral = await startFakeOpenAI({ apiKey: 'mistral-key-000000000001' })
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: [limited.provider, 'mistral'],
      routing: routeAll([limited.provider, 'mistral']),
      providers: {
        [limited.provider]: { base_url: limited.baseUrl, api_key: limited.apiKey },
        mistral: { base_url: mistral.url, api_key: 'mistral-key-000000000001' },
      },
    },
    { clock },
  )
  running.push(smartsplit, mistral, limited)
  return { smartsplit, mistral }
}

describe('429: a cooldown for the time the provider gave, not a breaker failure', () => {
  for (const [name, start] of variants) {
    it(name, async () => {
      const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
      const limited = await start(clock)
      const { smartsplit, mistral } = await limitedThenMistral(limited, clock)

      const first = await post(smartsplit)
      expect(first.status).toBe(200)
      expect(first.headers.get('x-smartsplit-provider')).toBe('mistral')
      const attempt = first.headers.get('x-smartsplit-attempts') ?? ''
      expect(attempt).toMatch(new RegExp(`^${limited.provider}/\\S+=rate_limit, mistral/\\S+=ok$`))
      const model = attempt.slice(limited.provider.length + 1, attempt.indexOf('='))
      const health = await modelHealth(smartsplit, limited.provider, model)
      expect(health.breaker).toMatchObject({ state: 'closed', recentFailures: 0 })
      expect(health.keys[0]).toMatchObject({ state: 'cooldown', untilMs: clock.nowMs() + limited.cooldownMs })
      expect(health.keys[0]?.reason).toMatch(/rate-limited \(429\)/)

      // Until the reset, requests go straight to Mistral: the limited provider is not even called.
      expect((await post(smartsplit)).status).toBe(200)
      clock.advance(limited.cooldownMs - 1)
      expect((await post(smartsplit)).status).toBe(200)
      expect(limited.requests()).toBe(1)
      expect(mistral.requests.length).toBe(3)

      clock.advance(1)
      expect((await modelHealth(smartsplit, limited.provider, model)).keys[0]?.state).toBe('ok')
      // Mistral fails once, so the next request needs the recovered provider whatever the learner thinks.
      mistral.queue.push({ kind: 'error', status: 503 })
      const after = await post(smartsplit)
      expect(after.status).toBe(200)
      expect(limited.requests()).toBe(2)
    })
  }
})

describe('a daily quota', () => {
  it("Gemini's PerDay quotaId: off until midnight Pacific, across the UTC day boundary", async () => {
    // Noon in Los Angeles (PST, UTC−8); the quota resets at 08:00 UTC the next day.
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 20))
    const resetMs = Date.UTC(2026, 0, 15, 8)
    const apiKey = 'gemini-key-00000000000001'
    const gemini = await startFakeGemini({ apiKey })
    gemini.respondWith({ type: 'rateLimit', window: 'day' })
    const limited: Limited = {
      provider: 'gemini',
      baseUrl: `${gemini.url}/v1beta`,
      apiKey,
      cooldownMs: resetMs - clock.nowMs(),
      requests: () => gemini.requests.length,
      close: () => gemini.close(),
    }
    const { smartsplit, mistral } = await limitedThenMistral(limited, clock)
    const first = await post(smartsplit)
    expect(first.headers.get('x-smartsplit-attempts')).toMatch(/^gemini\/\S+=quota, mistral\/\S+=ok$/)
    const model = gemini.requests[0]!.model!
    const key = (await modelHealth(smartsplit, 'gemini', model)).keys[0]
    expect(key).toMatchObject({ state: 'quota', untilMs: resetMs })
    expect(key?.reason).toMatch(/daily quota spent.*midnight America\/Los_Angeles/)

    // The 429 also carried "retry in 13s": a daily quota is not retried after those seconds,
    clock.advance(14 * SECOND_MS)
    await post(smartsplit)
    // nor at midnight UTC,
    clock.advance(Date.UTC(2026, 0, 15, 0, 0, 1) - clock.nowMs())
    await post(smartsplit)
    // nor one second before midnight Pacific.
    clock.advance(resetMs - 1000 - clock.nowMs())
    await post(smartsplit)
    expect(gemini.requests.length).toBe(1)
    expect(mistral.requests.length).toBe(4)

    clock.advance(1000)
    expect((await modelHealth(smartsplit, 'gemini', model)).keys[0]?.state).toBe('ok')
    mistral.queue.push({ kind: 'error', status: 503 })
    expect((await post(smartsplit)).status).toBe(200)
    expect(gemini.requests.length).toBe(2)
  })
})

const rateLimited = (seconds: number): FakeBehavior => ({
  kind: 'error',
  status: 429,
  headers: { 'retry-after': String(seconds) },
  body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
})

async function twoFakes(firstBehavior: FakeBehavior, secondBehavior: FakeBehavior, clock: ManualClock) {
  const first = await startFakeOpenAI({ apiKey: 'csk-first-key-0000000001' })
  const second = await startFakeOpenAI({ apiKey: 'gsk_second_key_000000002' })
  first.queue.push(firstBehavior)
  second.queue.push(secondBehavior)
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: ['cerebras', 'groq'],
      routing: routeAll(['cerebras', 'groq']),
      providers: {
        cerebras: { base_url: first.url, api_key: 'csk-first-key-0000000001' },
        groq: { base_url: second.url, api_key: 'gsk_second_key_000000002' },
      },
    },
    { clock },
  )
  running.push(smartsplit, first, second)
  return { first, second, smartsplit }
}

const callCount = (...fakes: FakeOpenAI[]) => fakes.map((fake) => fake.requests.length)

describe('when everything is exhausted', () => {
  it('429 with Retry-After = the earliest recovery when every provider is only rate-limited', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
    const { first, second, smartsplit } = await twoFakes(rateLimited(20), rateLimited(7), clock)
    const answer = await post(smartsplit)
    expect(answer.status).toBe(429)
    expect(answer.headers.get('retry-after')).toBe('7')
    const body = JSON.parse(answer.text) as { error: { type: string; code: string; message: string } }
    expect(body.error).toMatchObject({ type: 'rate_limit_error', code: 'all_providers_rate_limited' })
    expect(body.error.message).toMatch(/cerebras\/\S+: 429 .*groq\/\S+: 429 .*retry after 7 s/)

    // Three seconds later nothing is called, and the wait left is counted down.
    clock.advance(3 * SECOND_MS)
    const again = await post(smartsplit)
    expect(again.status).toBe(429)
    expect(again.headers.get('retry-after')).toBe('4')
    expect(callCount(first, second)).toEqual([1, 1])

    clock.advance(4 * SECOND_MS)
    const recovered = await post(smartsplit)
    expect(recovered.status).toBe(200)
    expect(recovered.headers.get('x-smartsplit-provider')).toBe('groq')
    expect(callCount(first, second)).toEqual([1, 2])
  })

  it('Retry-After counts the providers left out at planning time, not only the ones tried', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
    const { first, second, smartsplit } = await twoFakes(rateLimited(30), { kind: 'text' }, clock)
    expect((await post(smartsplit)).status).toBe(200)
    second.queue.push(rateLimited(50))
    clock.advance(SECOND_MS)
    // Cerebras is cooling down (29 s left) and not called; Groq is called and asks for 50 s.
    const answer = await post(smartsplit)
    expect(answer.status).toBe(429)
    expect(answer.headers.get('retry-after')).toBe('29')
    expect(answer.text).toMatch(/cerebras\/\S+: rate_limit skipped: rate-limited \(429\)/)
    expect(callCount(first, second)).toEqual([1, 2])
  })

  it('502 naming every attempt when one of them is more than a rate limit', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
    const { smartsplit } = await twoFakes({ kind: 'error', status: 503 }, rateLimited(7), clock)
    const answer = await post(smartsplit)
    expect(answer.status).toBe(502)
    expect(answer.headers.get('retry-after')).toBeNull()
    const body = JSON.parse(answer.text) as { error: { type: string; code: string; message: string } }
    expect(body.error).toMatchObject({ type: 'upstream_error', code: 'all_providers_failed' })
    expect(body.error.message).toMatch(/cerebras\/\S+: 503 .*groq\/\S+: 429 /)
    expect(body.error.message).toMatch(/GET \/health/)
  })
})

describe('a restart', () => {
  it('keeps the daily counters: quota spent before the restart is still spent after', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
    const fake = await startFakeOpenAI({ apiKey: 'gsk_only_key_00000000001' })
    running.push(fake)
    const config = {
      data_dir: mkdtempSync(join(tmpdir(), 'smartsplit-restart-')),
      providers: {
        groq: { base_url: fake.url, api_key: 'gsk_only_key_00000000001', limits: { rpd: 3 } },
      },
    }
    const before = await startSmartSplit(config, { clock })
    expect((await post(before)).status).toBe(200)
    expect((await post(before)).status).toBe(200)
    await before.close()

    const after = await startSmartSplit(config, { clock })
    running.push(after)
    expect((await post(after)).status).toBe(200)
    const refused = await post(after)
    expect(refused.status).toBe(429)
    // Groq's day ends at midnight UTC, twelve hours away.
    expect(refused.headers.get('retry-after')).toBe(String(12 * 3600))
    expect(fake.requests.length).toBe(3)

    clock.advance(12 * 3600 * SECOND_MS)
    expect((await post(after)).status).toBe(200)
    expect(fake.requests.length).toBe(4)
  })
})
