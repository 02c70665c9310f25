import { describe, expect, it } from 'vitest'
import type { ProviderConfig } from '../config/types.js'
import { ManualClock } from '../lib/clock.js'
import type { AttemptRecord } from '../pipeline/attempts.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'
import { availabilityOf, begin } from './coordination-fixture.js'
import { providerConfigFixture } from './provider-config-fixture.js'
import { createProviderState } from './provider-state.js'

const SECOND_MS = 1000
const MINUTE_MS = 60 * SECOND_MS
const HOUR_MS = 60 * MINUTE_MS

const GROQ_KEYS = ['gsk_fakeaaaaaaaaaaaaaaaaaaaaaaaa1111', 'gsk_fakebbbbbbbbbbbbbbbbbbbbbbbb2222']

const provider = providerConfigFixture

function setup(startIso = '2026-01-15T12:00:00.000Z', providers?: ProviderConfig[]) {
  const clock = new ManualClock(Date.parse(startIso))
  const state = createProviderState({
    clock,
    providers: providers ?? [
      // Keys of two Groq organizations: separate pools, so each key has its own limits.
      provider('groq', GROQ_KEYS, {}, ['org-a', 'org-b']),
      provider('gemini', ['AIzaSyFakeGeminiKeyFakeKey0000'], { rpd: 2 }),
      provider('openrouter', ['sk-or-v1-openrouterkey000000000']),
    ],
  })
  return { clock, state }
}

const groq = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 0 }
const groqKey2 = { ...groq, keyIndex: 1 }
const gemini = { provider: 'gemini', model: 'gemini-2.5-flash', keyIndex: 0 }
const openrouter = { provider: 'openrouter', model: 'openrouter/free', keyIndex: 0 }

async function fail(state: ReturnType<typeof setup>['state'], target: typeof groq, times: number) {
  for (let i = 0; i < times; i++)
    (await begin(state, target, 10))?.settle({ outcome: 'overloaded', status: 503 })
}

describe('createProviderState', () => {
  it('refuses a configured daily-reset zone Intl does not know', () => {
    const clock = new ManualClock(Date.parse('2026-01-15T12:00:00.000Z'))
    const providers = [provider('groq', GROQ_KEYS)]
    expect(() =>
      createProviderState({ clock, providers, dailyResetZones: { groq: 'Mars/Olympus_Mons' } }),
    ).toThrow(RangeError)
    expect(() =>
      createProviderState({ clock, providers, dailyResetZones: { groq: 'Asia/Kolkata' } }),
    ).not.toThrow()
  })

  it('starts with every target ok', async () => {
    const { state } = setup()
    expect(await availabilityOf(state, groq)).toEqual({ state: 'ok', untilMs: null, reason: null })
    expect(state.health.earliestRecoveryMs()).toBe(Date.parse('2026-01-15T12:00:00.000Z'))
  })

  it('walks the breaker open → half-open → closed, with one probe at a time', async () => {
    const { clock, state } = setup()
    await fail(state, groq, 3)
    expect(await availabilityOf(state, groq)).toMatchObject({
      state: 'open',
      untilMs: clock.nowMs() + 30 * MINUTE_MS,
    })
    expect((await availabilityOf(state, groq)).reason).toContain('overloaded 503')
    // The breaker is per provider+model: the other key of the same model is open too, other models are not.
    expect((await availabilityOf(state, groqKey2)).state).toBe('open')
    expect((await availabilityOf(state, { ...groq, model: 'llama-3.1-8b-instant' })).state).toBe('ok')
    expect(await begin(state, groq, 10)).toBeNull()

    clock.advance(30 * MINUTE_MS)
    expect((await availabilityOf(state, groq)).state).toBe('half_open')
    const probe = await begin(state, groq, 10)
    expect(probe?.isProbe).toBe(true)
    expect(await begin(state, groqKey2, 10)).toBeNull()
    expect((await state.coordination.snapshot()).view(groq)).toMatchObject({ isUsable: false, score: 0 })
    probe?.settle({ outcome: 'ok', usageTokens: 12 })
    expect((await availabilityOf(state, groq)).state).toBe('ok')
    expect((await begin(state, groq, 10))?.isProbe).toBe(false)
  })

  it('re-opens when the probe fails, and frees the probe when it ends without a verdict', async () => {
    const { clock, state } = setup()
    await fail(state, groq, 3)
    clock.advance(30 * MINUTE_MS)
    ;(await begin(state, groq, 10))?.settle({ outcome: 'bad_request', status: 400 })
    expect((await availabilityOf(state, groq)).state).toBe('half_open')
    ;(await begin(state, groq, 10))?.release()
    const probe = await begin(state, groq, 10)
    expect(probe?.isProbe).toBe(true)
    probe?.settle({ outcome: 'timeout' })
    expect(await availabilityOf(state, groq)).toMatchObject({
      state: 'open',
      untilMs: clock.nowMs() + 30 * MINUTE_MS,
    })
  })

  it('does not count rate limits, bad requests or context length toward the breaker', async () => {
    const { state } = setup()
    for (const outcome of ['bad_request', 'context_length', 'not_found'] as const) {
      for (let i = 0; i < 3; i++) (await begin(state, groq, 10))?.settle({ outcome, status: 400 })
    }
    expect((await availabilityOf(state, groq)).state).toBe('ok')
    for (let i = 0; i < 3; i++)
      await state.coordination.observe(groqKey2, { outcome: 'rate_limit', retryAfterMs: 1 })
    // Full health; only the 9 requests of the 30 per minute lower the score.
    expect((await state.coordination.snapshot()).view(groq).score).toBeCloseTo(21 / 30)
  })

  it('cools a key down for the Retry-After of a 429, 60 s without one, and lets other keys serve', async () => {
    const { clock, state } = setup()
    ;(await begin(state, groq, 10))?.settle({ outcome: 'rate_limit', status: 429, retryAfterMs: 5_289 })
    expect(await availabilityOf(state, groq)).toMatchObject({
      state: 'cooldown',
      untilMs: clock.nowMs() + 5_289,
    })
    expect(await begin(state, groq, 10)).toBeNull()
    expect(await begin(state, groqKey2, 10)).not.toBeNull()
    clock.advance(5_289)
    expect((await availabilityOf(state, groq)).state).toBe('ok')
    await state.coordination.observe(groq, { outcome: 'rate_limit', status: 429 })
    expect((await availabilityOf(state, groq)).untilMs).toBe(clock.nowMs() + 60 * SECOND_MS)
  })

  it('keeps a Gemini daily quota off until midnight Pacific', async () => {
    const { clock, state } = setup('2026-01-15T20:00:00.000Z')
    ;(await begin(state, gemini, 10))?.settle({
      outcome: 'quota',
      status: 429,
      quotaKind: 'day',
      retryAfterMs: 47_000,
    })
    const midnightPacific = Date.parse('2026-01-16T08:00:00.000Z')
    expect(await availabilityOf(state, gemini)).toMatchObject({ state: 'quota', untilMs: midnightPacific })
    clock.advance(4 * HOUR_MS + 30 * MINUTE_MS) // past midnight UTC: still spent
    expect(await begin(state, gemini, 10)).toBeNull()
    clock.advance(7 * HOUR_MS + 30 * MINUTE_MS)
    expect((await availabilityOf(state, gemini)).state).toBe('ok')
    expect(await begin(state, gemini, 10)).not.toBeNull()
  })

  it('counts a daily quota locally and reopens it at the reset, across a DST change', async () => {
    const { clock, state } = setup('2026-03-08T06:00:00.000Z') // 22:00 PST, 2026-03-07
    ;(await begin(state, gemini, 10))?.settle({ outcome: 'ok', usageTokens: 10 })
    ;(await begin(state, gemini, 10))?.settle({ outcome: 'ok', usageTokens: 10 })
    expect(await availabilityOf(state, gemini)).toMatchObject({
      state: 'quota',
      untilMs: Date.parse('2026-03-08T08:00:00.000Z'),
    })
    expect(await begin(state, gemini, 10)).toBeNull()
    clock.advance(2 * HOUR_MS)
    ;(await begin(state, gemini, 10))?.settle({ outcome: 'ok' })
    ;(await begin(state, gemini, 10))?.settle({ outcome: 'ok' })
    // That day had 23 hours: the next reset is 00:00 PDT = 07:00 UTC.
    expect((await availabilityOf(state, gemini)).untilMs).toBe(Date.parse('2026-03-09T07:00:00.000Z'))
  })

  it('ends an OpenRouter daily quota at midnight UTC', async () => {
    const { clock, state } = setup('2026-01-15T18:00:00.000Z')
    await state.coordination.observe(openrouter, { outcome: 'quota', quotaKind: 'day', status: 429 })
    expect((await availabilityOf(state, openrouter)).untilMs).toBe(Date.parse('2026-01-16T00:00:00.000Z'))
    clock.advance(6 * HOUR_MS)
    expect((await availabilityOf(state, openrouter)).state).toBe('ok')
  })

  it('disables a key on 401 with its reason, keeping other keys usable and the key itself secret', async () => {
    const { clock, state } = setup()
    ;(await begin(state, groq, 10))?.settle({
      outcome: 'auth',
      status: 401,
      message: `Invalid API Key provided: ${GROQ_KEYS[0]}`,
    })
    const availability = await availabilityOf(state, groq)
    expect(availability).toMatchObject({ state: 'disabled', untilMs: null })
    expect(availability.reason).toContain('groq key 1 was rejected (401)')
    expect(availability.reason).not.toContain(GROQ_KEYS[0])
    expect((await availabilityOf(state, { ...groq, model: 'llama-3.1-8b-instant' })).state).toBe('disabled')
    expect((await availabilityOf(state, groqKey2)).state).toBe('ok')
    expect(await begin(state, groq, 10)).toBeNull()
    expect(await begin(state, groqKey2, 10)).not.toBeNull()
    clock.advance(7 * 24 * HOUR_MS)
    expect((await availabilityOf(state, groq)).state).toBe('disabled')
  })

  it('turns a key off on 402 with a billing reason', async () => {
    const { state } = setup()
    await state.coordination.observe(openrouter, {
      outcome: 'billing',
      status: 402,
      message: 'Insufficient credits',
    })
    expect(await availabilityOf(state, openrouter)).toMatchObject({ state: 'disabled', untilMs: null })
    expect((await availabilityOf(state, openrouter)).reason).toMatch(
      /no credits left \(402\).*Insufficient credits/,
    )
  })

  it('leaves the state alone on a context-length error', async () => {
    const { state } = setup()
    const before = (await state.coordination.snapshot()).view(groq)
    ;(await begin(state, groq, 10))?.settle({ outcome: 'context_length', status: 400 })
    const after = (await state.coordination.snapshot()).view(groq)
    expect(after.availability).toEqual(before.availability)
    expect(after.score).toBeCloseTo(29 / 30) // the request still counts against the minute
  })

  it('routes away before the provider says 429: no slot when the reservation would not fit', async () => {
    const { state } = setup(undefined, [provider('groq', GROQ_KEYS, { rpm: 2, tpm: 1_000 })])
    expect(await begin(state, groq, 1_001)).toBeNull()
    const first = await begin(state, groq, 600)
    expect(await begin(state, groq, 600)).toBeNull()
    first?.settle({ outcome: 'ok', usageTokens: 100 })
    expect(await begin(state, groq, 600)).not.toBeNull()
    expect(await availabilityOf(state, groq)).toMatchObject({
      state: 'cooldown',
      reason: 'requests per minute spent',
    })
  })

  it('corrects its counts from response headers', async () => {
    const { clock, state } = setup()
    const limits: RateLimitReading = {
      requestsLimit: 1_000,
      requestsRemaining: 0,
      requestsResetMs: 3 * MINUTE_MS,
      tokensLimit: 8_000,
      tokensRemaining: 7_000,
      tokensResetMs: 7_660,
      requestsWindow: 'day',
      tokensWindow: 'minute',
    }
    ;(await begin(state, groq, 10))?.settle({ outcome: 'ok', usageTokens: 900, limits })
    expect(await availabilityOf(state, groq)).toMatchObject({
      state: 'quota',
      untilMs: clock.nowMs() + 3 * MINUTE_MS,
    })
    expect(state.health.earliestRecoveryMs()).toBe(clock.nowMs()) // key 2 still serves
    clock.advance(3 * MINUTE_MS)
    expect((await availabilityOf(state, groq)).state).toBe('ok')
  })

  it('gives back the request of an attempt refused for rate limits', async () => {
    const { state } = setup(undefined, [provider('groq', GROQ_KEYS, { rpd: 5 })])
    ;(await begin(state, groq, 10))?.settle({ outcome: 'rate_limit', retryAfterMs: 0 })
    ;(await begin(state, groq, 10))?.settle({ outcome: 'overloaded' })
    expect((await state.coordination.snapshot()).view(groq).remaining.requestsDay).toBe(4)
  })

  it('scores targets by health and the quota left', async () => {
    const { state } = setup(undefined, [
      provider('groq', GROQ_KEYS, { rpm: 4, rpd: null, tpm: null, tpd: null }, ['org-a', 'org-b']),
    ])
    expect((await state.coordination.snapshot()).view(groq).score).toBe(1)
    ;(await begin(state, groq, 10))?.settle({ outcome: 'ok' })
    expect((await state.coordination.snapshot()).view(groq).score).toBeCloseTo(0.75)
    ;(await begin(state, groq, 10))?.settle({ outcome: 'timeout' })
    // Half the minute left, one failure of three: 0.5 × (1 − 0.5 × 1/3).
    expect((await state.coordination.snapshot()).view(groq).score).toBeCloseTo(0.5 * (1 - 0.5 / 3))
    await state.coordination.observe(groq, { outcome: 'rate_limit' })
    expect((await state.coordination.snapshot()).view(groq)).toMatchObject({ score: 0, isUsable: false })
    // The breaker (and its failure count) is shared by the keys of a model; another pool's count is not.
    expect((await state.coordination.snapshot()).view(groqKey2).score).toBeCloseTo(1 - 0.5 / 3)
  })

  it('lists every configured model and key in the snapshot, frozen at its time', async () => {
    const { clock, state } = setup()
    const snapshot = await state.coordination.snapshot()
    const groqTargets = snapshot.targets.filter((view) => view.target.provider === 'groq')
    expect(groqTargets.map((view) => `${view.target.model}#${view.target.keyIndex}`)).toEqual([
      'openai/gpt-oss-120b#0',
      'openai/gpt-oss-120b#1',
      'llama-3.1-8b-instant#0',
      'llama-3.1-8b-instant#1',
    ])
    await state.coordination.observe(groq, { outcome: 'rate_limit' })
    expect(snapshot.view(groq).availability.state).toBe('ok')
    expect(snapshot.atMs).toBe(clock.nowMs())
    const custom = { provider: 'groq', model: 'qwen/qwen3-32b', keyIndex: 0 }
    await begin(state, custom, 1)
    expect(
      (await state.coordination.snapshot()).targets.some((view) => view.target.model === 'qwen/qwen3-32b'),
    ).toBe(true)
  })

  it('reports when capacity returns once everything is exhausted', async () => {
    const { clock, state } = setup(undefined, [
      provider('groq', GROQ_KEYS),
      provider('gemini', ['AIzaSyFakeGeminiKeyFakeKey0000']),
    ])
    const now = clock.nowMs()
    for (const target of (await state.coordination.snapshot()).targets) {
      const retryAfterMs = target.target.provider === 'gemini' ? 20_000 : 45_000
      await state.coordination.observe(target.target, { outcome: 'rate_limit', retryAfterMs })
    }
    expect(state.health.earliestRecoveryMs()).toBe(now + 20_000)
    for (const target of (await state.coordination.snapshot()).targets)
      await state.coordination.observe(target.target, { outcome: 'auth', status: 401 })
    expect(state.health.earliestRecoveryMs()).toBeNull()
  })
})

describe('recordOutcome', () => {
  it('accepts an AttemptRecord as it is', async () => {
    const { state } = setup()
    const record: AttemptRecord = {
      provider: 'groq',
      model: 'openai/gpt-oss-120b',
      keyIndex: 0,
      outcome: 'rate_limit',
      status: 429,
      message: 'Rate limit reached',
      retryAfterMs: 2_000,
      latencyMs: 120,
      limits: null,
    }
    await state.coordination.observe(record, { ...record, outcome: 'rate_limit' })
    expect(await availabilityOf(state, record)).toMatchObject({
      state: 'cooldown',
      reason: 'rate-limited (429) by groq key 1: Rate limit reached',
    })
  })
})
