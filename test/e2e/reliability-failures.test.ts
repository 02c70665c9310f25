import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/lib/clock.js'
import { startFakeAnthropic } from '../fakes/fake-anthropic.js'
import { startFakeGemini } from '../fakes/fake-gemini.js'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { routeAll } from '../support/route-all.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 6, one failure class per test, each produced by a fake with the real provider's status, headers
// and body: what the client sees, whether another provider answered, and what the state layer made of it
// (GET /health: breaker failures, disabled keys), asserted through the fakes' request counts.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

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

async function post(smartsplit: RunningSmartSplit, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }], ...extra }),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text }
}

/** The content of an SSE answer, frames joined. */
function streamedText(raw: string): string {
  return raw
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: {'))
    .map((frame) => {
      const chunk = JSON.parse(frame.slice(6)) as { choices?: { delta?: { content?: string } }[] }
      return chunk.choices?.[0]?.delta?.content ?? ''
    })
    .join('')
}

async function providerHealth(smartsplit: RunningSmartSplit, provider: string): Promise<ProviderHealth> {
  const body = (await (await fetch(`${smartsplit.url}/health`)).json()) as { state: ProviderHealth[] }
  const found = body.state.find((p) => p.provider === provider)
  if (found === undefined) throw new Error(`${provider} is not in /health`)
  return found
}

/** cerebras (failing as told) first, groq (answering) second; both on fakes, a fresh state per test. */
async function failingThenWorking(first: FakeBehavior | 'refused', timeouts: Record<string, number> = {}) {
  const second = await startFakeOpenAI({
    apiKey: 'gsk_second_key_000000002',
    behavior: { kind: 'text', text: 'Answer from groq.' },
  })
  const fake =
    first === 'refused'
      ? null
      : await startFakeOpenAI({ apiKey: 'csk-first-key-0000000001', behavior: first })
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: ['cerebras', 'groq'],
      providers: {
        // Port 9 (discard) is closed on a test machine: the connection is refused.
        cerebras: { base_url: fake?.url ?? 'http://127.0.0.1:9/v1', api_key: 'csk-first-key-0000000001' },
        groq: { base_url: second.url, api_key: 'gsk_second_key_000000002' },
      },
      timeouts: { first_byte_ms: 1500, ...timeouts },
    },
    { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
  )
  running.push(smartsplit, second, ...(fake === null ? [] : [fake]))
  return { first: fake, second, smartsplit }
}

describe('failures that mean "the provider is unwell": retried elsewhere, counted toward the breaker', () => {
  it('a refused connection', async () => {
    const { second, smartsplit } = await failingThenWorking('refused')
    const answer = await post(smartsplit)
    expect(answer.status).toBe(200)
    expect(answer.text).toContain('Answer from groq.')
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^cerebras\/\S+=network, groq\/\S+=ok$/)
    expect(second.requests.length).toBe(1)
    const health = await providerHealth(smartsplit, 'cerebras')
    expect(health.models[0]?.breaker).toMatchObject({ state: 'closed', recentFailures: 1 })
  })

  it('a timeout before the first byte', async () => {
    const { first, smartsplit } = await failingThenWorking({ kind: 'stall' }, { first_byte_ms: 300 })
    const answer = await post(smartsplit, { stream: true })
    expect(answer.status).toBe(200)
    expect(streamedText(answer.text)).toBe('Answer from groq.')
    expect(answer.text.trim().endsWith('data: [DONE]')).toBe(true)
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^cerebras\/\S+=timeout, groq\/\S+=ok$/)
    expect(first?.requests[0]?.aborted).toBe(true)
    expect((await providerHealth(smartsplit, 'cerebras')).models[0]?.breaker.recentFailures).toBe(1)
  })

  // Bodies as the OpenAI-compatible providers send them (Cerebras and Groq use OpenAI's error shape).
  const statuses: [number, string][] = [
    [408, 'Request timed out.'],
    [409, 'Conflict: the model is being reloaded, please retry.'],
    [500, 'The server had an error while processing your request. Sorry about that!'],
    [502, 'Bad gateway.'],
    [503, 'We are experiencing high traffic right now! Please try again soon.'],
    [504, 'Gateway timeout.'],
  ]
  for (const [status, message] of statuses) {
    it(`${status}`, async () => {
      const { first, second, smartsplit } = await failingThenWorking({
        kind: 'error',
        status,
        body: { error: { message, type: 'server_error', param: null, code: null } },
      })
      const answer = await post(smartsplit)
      expect(answer.status).toBe(200)
      expect(answer.text).toContain('Answer from groq.')
      expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^cerebras\/\S+=overloaded, groq\/\S+=ok$/)
      expect([first?.requests.length, second.requests.length]).toEqual([1, 1])
      const health = await providerHealth(smartsplit, 'cerebras')
      expect(health.models[0]?.breaker).toMatchObject({ state: 'closed', recentFailures: 1 })
      expect(health.models[0]?.keys[0]?.state).toBe('ok')
    })
  }

  it('529 overloaded_error from Anthropic, answered on the next key', async () => {
    const fake = await startFakeAnthropic()
    fake.script({ kind: 'overloaded' })
    const smartsplit = await startSmartSplit(
      {
        providers: {
          anthropic: {
            enabled: true,
            base_url: fake.url,
            api_keys: ['sk-ant-first-00000000001', 'sk-ant-second-0000000002'],
          },
        },
      },
      { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
    )
    running.push(smartsplit, fake)
    const answer = await post(smartsplit)
    expect(answer.status).toBe(200)
    expect(answer.text).toContain('Hello from the fake Anthropic API.')
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(
      /^anthropic\/\S+=overloaded, anthropic\/\S+=ok$/,
    )
    expect(fake.requests.map((r) => r.status)).toEqual([529, 200])
    const model = answer.headers.get('x-smartsplit-model')
    const health = await providerHealth(smartsplit, 'anthropic')
    expect(health.models.find((m) => m.model === model)?.breaker.recentFailures).toBe(1)
  })
})

describe('failures about one key: that key is off, shown in /health, the others keep working', () => {
  it('401 on one Groq key: the other key answers, and the rejected one is never tried again', async () => {
    const fake = await startFakeOpenAI({ apiKey: 'gsk_good_key_00000000002' })
    const smartsplit = await startSmartSplit(
      {
        providers: {
          groq: { base_url: fake.url, api_keys: ['gsk_revoked_key_000000001', 'gsk_good_key_00000000002'] },
        },
      },
      { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
    )
    running.push(smartsplit, fake)
    const first = await post(smartsplit)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-smartsplit-attempts')).toMatch(/^groq\/\S+=auth, groq\/\S+=ok$/)
    const keys = (await providerHealth(smartsplit, 'groq')).models.flatMap((m) => m.keys)
    const keyOne = keys.filter((k) => k.key === 'key 1')
    expect(keyOne.length).toBeGreaterThan(0)
    // A rejected key is off for every model of the provider, until the configuration changes.
    for (const key of keyOne) {
      expect(key).toMatchObject({ state: 'disabled', untilMs: null })
      expect(key.reason).toMatch(/key 1 was rejected \(401\).*Incorrect API key/)
      expect(key.reason).not.toContain('gsk_revoked_key_000000001')
    }
    expect(keys.filter((k) => k.key === 'key 2').every((k) => k.state === 'ok')).toBe(true)
    for (let i = 0; i < 3; i++) expect((await post(smartsplit)).status).toBe(200)
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer gsk_revoked_key_000000001',
      ...Array(4).fill('Bearer gsk_good_key_00000000002'),
    ])
  })

  it("Gemini's 400 API_KEY_INVALID disables that key; the second key answers", async () => {
    const fake = await startFakeGemini({ apiKey: 'gemini-good-key-000000002' })
    const smartsplit = await startSmartSplit(
      {
        providers: {
          gemini: {
            base_url: `${fake.url}/v1beta`,
            api_keys: ['gemini-bad-key-0000000001', 'gemini-good-key-000000002'],
          },
        },
      },
      { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
    )
    running.push(smartsplit, fake)
    const answer = await post(smartsplit)
    expect(answer.status).toBe(200)
    expect(answer.text).toContain('Hello from fake Gemini.')
    const keys = (await providerHealth(smartsplit, 'gemini')).models[0]!.keys
    expect(keys.map((k) => k.state)).toEqual(['disabled', 'ok'])
    expect(keys[0]?.reason).toMatch(/API key not valid/)
    await post(smartsplit)
    expect(fake.requests.length).toBe(3)
  })

  it('403 takes that key out; later requests go elsewhere without calling it', async () => {
    const { first, second, smartsplit } = await failingThenWorking({
      kind: 'error',
      status: 403,
      body: { error: { message: 'Access denied for this API key.', type: 'permission_error', code: null } },
    })
    expect((await post(smartsplit)).status).toBe(200)
    expect((await post(smartsplit)).status).toBe(200)
    expect([first?.requests.length, second.requests.length]).toEqual([1, 2])
    const key = (await providerHealth(smartsplit, 'cerebras')).models[0]?.keys[0]
    expect(key).toMatchObject({ state: 'disabled', untilMs: null })
    expect(key?.reason).toMatch(/rejected \(403\)/)
  })

  it('402 from OpenRouter: off with a clear reason', async () => {
    const broke = await startFakeOpenAI({
      apiKey: 'sk-or-v1-broke-0000000001',
      behavior: {
        kind: 'error',
        status: 402,
        body: {
          error: {
            message:
              'This request requires more credits, or fewer max_tokens. You requested up to 16384 tokens, but can only afford 2666. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account',
            code: 402,
            metadata: { provider_name: null },
          },
          user_id: 'user_fake',
        },
      },
    })
    const working = await startFakeOpenAI({ apiKey: 'gsk_second_key_000000002' })
    const smartsplit = await startSmartSplit(
      {
        free_llm_priority: ['openrouter', 'groq'],
        routing: routeAll(['openrouter', 'groq']),
        providers: {
          openrouter: { base_url: broke.url, api_key: 'sk-or-v1-broke-0000000001' },
          groq: { base_url: working.url, api_key: 'gsk_second_key_000000002' },
        },
      },
      { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
    )
    running.push(smartsplit, broke, working)
    const answer = await post(smartsplit)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^openrouter\/\S+=billing, groq\/\S+=ok$/)
    const key = (await providerHealth(smartsplit, 'openrouter')).models[0]?.keys[0]
    expect(key?.state).toBe('disabled')
    expect(key?.untilMs).toBeNull()
    expect(key?.reason).toMatch(
      /no credits left \(402\): add credits or remove the key.*requires more credits/,
    )
    await post(smartsplit)
    expect(broke.requests.length).toBe(1)
  })
})
