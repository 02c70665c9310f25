import { describe, expect, it } from 'vitest'
import { ManualClock } from '../lib/clock.js'
import { begin } from './coordination-fixture.js'
import { providerConfigFixture } from './provider-config-fixture.js'
import { createProviderState } from './provider-state.js'

const KEYS = ['gsk_fakeaaaaaaaaaaaaaaaaaaaaaaaa1111', 'gsk_fakebbbbbbbbbbbbbbbbbbbbbbbb2222']

function setup() {
  const clock = new ManualClock(Date.parse('2026-01-15T12:00:00.000Z'))
  const providers = [
    providerConfigFixture('groq', KEYS, {}, ['org-a', 'org-b']),
    providerConfigFixture('gemini', ['short']),
    { ...providerConfigFixture('mistral', ['m']), enabled: false, disabledReason: 'no key' },
  ]
  return { clock, state: createProviderState({ clock, providers }) }
}

describe('buildHealthReport (through ProviderState.healthReport)', () => {
  it('shows each provider, model and key with state and remaining capacity', async () => {
    const { clock, state } = setup()
    const groq = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 0 }
    ;(await begin(state, groq, 1_000))?.settle({ outcome: 'ok', usageTokens: 1_500 })
    await state.coordination.observe(
      { ...groq, keyIndex: 1 },
      { outcome: 'rate_limit', retryAfterMs: 30_000 },
    )
    const report = state.health.report()
    expect(report.atMs).toBe(clock.nowMs())
    expect(report.providers.map((p) => p.provider)).toEqual(['groq', 'gemini'])
    const [groqHealth, geminiHealth] = report.providers
    expect(groqHealth).toMatchObject({
      provider: 'groq',
      dailyResetZone: 'UTC',
      nextDailyResetMs: Date.parse('2026-01-16T00:00:00.000Z'),
    })
    expect(geminiHealth?.dailyResetZone).toBe('America/Los_Angeles')
    const model = groqHealth?.models[0]
    expect(model?.model).toBe('openai/gpt-oss-120b')
    expect(model?.breaker).toEqual({ state: 'closed', untilMs: null, recentFailures: 0 })
    expect(model?.keys).toEqual([
      {
        key: 'key 1',
        keyHint: '…1111',
        state: 'ok',
        untilMs: null,
        until: null,
        reason: null,
        pool: 'org-a',
        remaining: { requestsMinute: 29, requestsDay: 999, tokensMinute: 6_500, tokensDay: 198_500 },
        limits: { rpm: 30, rpd: 1_000, tpm: 8_000, tpd: 200_000 },
      },
      {
        key: 'key 2',
        keyHint: '…2222',
        state: 'cooldown',
        untilMs: clock.nowMs() + 30_000,
        until: '2026-01-15T12:00:30.000Z',
        reason: 'rate-limited (429) by groq key 2',
        pool: 'org-b',
        remaining: { requestsMinute: 30, requestsDay: 1_000, tokensMinute: 8_000, tokensDay: 200_000 },
        limits: { rpm: 30, rpd: 1_000, tpm: 8_000, tpd: 200_000 },
      },
    ])
    expect(geminiHealth?.models[0]?.keys[0]?.keyHint).toBeNull()
  })

  it('never contains a key', async () => {
    const { state } = setup()
    await state.coordination.observe(
      { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 1 },
      { outcome: 'auth', status: 401, message: `Invalid API Key: ${KEYS[1]}` },
    )
    const text = JSON.stringify(state.health.report())
    for (const key of KEYS) expect(text).not.toContain(key)
    expect(text).toContain('groq key 2 was rejected (401)')
  })

  it('shows an open breaker with its end', async () => {
    const { clock, state } = setup()
    const groq = { provider: 'groq', model: 'llama-3.1-8b-instant', keyIndex: 0 }
    for (let i = 0; i < 3; i++)
      await state.coordination.observe(groq, { outcome: 'network', message: 'ECONNRESET' })
    const model = state.health.report().providers[0]?.models.find((m) => m.model === groq.model)
    expect(model?.breaker).toEqual({ state: 'open', untilMs: clock.nowMs() + 30 * 60_000, recentFailures: 0 })
    expect(model?.keys[0]).toMatchObject({ state: 'open', reason: 'circuit open after network: ECONNRESET' })
  })
})
