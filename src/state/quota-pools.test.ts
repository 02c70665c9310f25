import { describe, expect, it } from 'vitest'
import { ManualClock } from '../lib/clock.js'
import { availabilityOf, begin } from './coordination-fixture.js'
import { providerConfigFixture } from './provider-config-fixture.js'
import { createProviderState } from './provider-state.js'
import type { RetiredModel } from './retired-models.js'

// Limits belong to a model (Groq, Gemini) or to the provider (OpenRouter's :free requests), and to a
// quota pool: one key, or the account / project every key of it shares.

const GROQ_KEYS = ['gsk_fakeaaaaaaaaaaaaaaaaaaaaaaaa1111', 'gsk_fakebbbbbbbbbbbbbbbbbbbbbbbb2222']
const OR_KEYS = ['sk-or-v1-fake-aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'sk-or-v1-fake-bbbbbbbbbbbbbbbbbbbbbbbbbbbb']
const start = () => new ManualClock(Date.parse('2026-12-07T12:00:00.000Z'))

describe('limits per model', () => {
  it('counts one key’s two models separately, each against its own limits', async () => {
    const clock = start()
    const state = createProviderState({ clock, providers: [providerConfigFixture('groq', [GROQ_KEYS[0]!])] })
    const strong = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 0 }
    const fast = { provider: 'groq', model: 'llama-3.1-8b-instant', keyIndex: 0 }
    for (let i = 0; i < 3; i++) (await begin(state, strong, 100))?.settle({ outcome: 'ok', usageTokens: 500 })
    ;(await begin(state, fast, 100))?.settle({ outcome: 'ok', usageTokens: 200 })
    const snapshot = await state.coordination.snapshot()
    const view = (target: typeof strong) => snapshot.view(target)
    // Groq's published Free Plan rows: 30 RPM / 1K RPD / 8K TPM / 200K TPD and 30 / 14.4K / 6K / 500K.
    expect(view(strong).limits).toEqual({ rpm: 30, rpd: 1_000, tpm: 8_000, tpd: 200_000 })
    expect(view(fast).limits).toEqual({ rpm: 30, rpd: 14_400, tpm: 6_000, tpd: 500_000 })
    expect(view(strong).remaining).toEqual({
      requestsMinute: 27,
      requestsDay: 997,
      tokensMinute: 6_500,
      tokensDay: 198_500,
    })
    expect(view(fast).remaining).toEqual({
      requestsMinute: 29,
      requestsDay: 14_399,
      tokensMinute: 5_800,
      tokensDay: 499_800,
    })
    // A 429 on one model leaves the other alone.
    await state.coordination.observe(strong, { outcome: 'rate_limit', retryAfterMs: 7_000 })
    expect((await availabilityOf(state, strong)).state).toBe('cooldown')
    expect((await availabilityOf(state, fast)).state).toBe('ok')
  })

  it('takes a 429’s headers as the truth for the model it came from only', async () => {
    const clock = start()
    const state = createProviderState({ clock, providers: [providerConfigFixture('groq', [GROQ_KEYS[0]!])] })
    const strong = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 0 }
    const fast = { provider: 'groq', model: 'llama-3.1-8b-instant', keyIndex: 0 }
    ;(await begin(state, strong, 10))?.settle({
      outcome: 'ok',
      limits: {
        requestsLimit: 1_000,
        requestsRemaining: 12,
        requestsResetMs: 60_000,
        tokensLimit: 8_000,
        tokensRemaining: 7_000,
        tokensResetMs: 1_000,
        requestsWindow: 'day',
        tokensWindow: 'minute',
      },
    })
    expect((await state.coordination.snapshot()).view(strong).remaining.requestsDay).toBe(12)
    expect((await state.coordination.snapshot()).view(fast).remaining.requestsDay).toBe(14_400)
  })
})

describe('quota pools', () => {
  it('makes keys of one pool share its limits: a second key of one Groq organization adds nothing', async () => {
    const clock = start()
    const state = createProviderState({ clock, providers: [providerConfigFixture('groq', GROQ_KEYS)] })
    const key1 = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 0 }
    const key2 = { ...key1, keyIndex: 1 }
    ;(await begin(state, key1, 100))?.settle({ outcome: 'ok', usageTokens: 1_000 })
    expect((await state.coordination.snapshot()).view(key2).remaining.requestsDay).toBe(999)
    // Groq said the organization is out of tokens this minute: both keys wait.
    await state.coordination.observe(key1, { outcome: 'rate_limit', retryAfterMs: 5_000 })
    expect(await begin(state, key2, 10)).toBeNull()
    expect(state.health.report().providers[0]?.capacity).toMatchObject({ pools: ['default'], keys: 2 })
  })

  it('counts keys of separate pools separately', async () => {
    const clock = start()
    const providers = [providerConfigFixture('groq', GROQ_KEYS, {}, ['org-a', 'org-b'])]
    const state = createProviderState({ clock, providers })
    const key1 = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 0 }
    ;(await begin(state, key1, 100))?.settle({ outcome: 'ok' })
    await state.coordination.observe(key1, { outcome: 'rate_limit', retryAfterMs: 5_000 })
    expect((await state.coordination.snapshot()).view({ ...key1, keyIndex: 1 }).remaining.requestsDay).toBe(
      1_000,
    )
    expect(await begin(state, { ...key1, keyIndex: 1 }, 10)).not.toBeNull()
  })

  it('never hands out more than OpenRouter’s 20 requests a minute across two keys and two :free models', async () => {
    const clock = start()
    const state = createProviderState({ clock, providers: [providerConfigFixture('openrouter', OR_KEYS)] })
    const targets = [0, 1].flatMap((keyIndex) =>
      ['openrouter/free', 'meta-llama/llama-3.3-70b-instruct:free'].map((model) => ({
        provider: 'openrouter',
        model,
        keyIndex,
      })),
    )
    let granted = 0
    for (let i = 0; i < 40; i++) {
      const handle = await begin(state, targets[i % targets.length]!, 10)
      if (handle === null) continue
      granted++
      handle.settle({ outcome: 'ok' })
    }
    expect(granted).toBe(20)
    clock.advance(60_000)
    expect(await begin(state, targets[3]!, 10)).not.toBeNull()
  })
})

describe('retired models', () => {
  it('retires a model on the provider’s "not found", warns once, and tries it again after 24 h', async () => {
    const clock = start()
    const warnings: RetiredModel[] = []
    const state = createProviderState({
      clock,
      providers: [providerConfigFixture('groq', [GROQ_KEYS[0]!])],
      onModelRetired: (gone) => warnings.push(gone),
    })
    const target = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 0 }
    const message =
      'groq answered 404: The model `openai/gpt-oss-120b` does not exist or you do not have access to it.'
    ;(await begin(state, target, 10))?.settle({ outcome: 'model_retired', status: 404, message })
    await state.coordination.observe(target, { outcome: 'model_retired', status: 404, message })
    expect(warnings).toHaveLength(1)
    expect((await state.coordination.snapshot()).isRetired('groq', 'openai/gpt-oss-120b')).toBe(true)
    expect((await state.coordination.snapshot()).isRetired('groq', 'llama-3.1-8b-instant')).toBe(false)
    expect(await availabilityOf(state, target)).toMatchObject({ state: 'disabled' })
    expect(await begin(state, target, 10)).toBeNull()
    expect(state.health.report().providers[0]?.retiredModels).toEqual([
      expect.objectContaining({ model: 'openai/gpt-oss-120b', since: '2026-12-07T12:00:00.000Z' }),
    ])
    clock.advance(24 * 60 * 60_000)
    expect((await state.coordination.snapshot()).isRetired('groq', 'openai/gpt-oss-120b')).toBe(false)
    expect(await begin(state, target, 10)).not.toBeNull()
  })
})
