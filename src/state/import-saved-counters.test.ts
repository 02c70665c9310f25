import { describe, expect, it } from 'vitest'
import { ManualClock } from '../lib/clock.js'
import { availabilityOf, begin } from './coordination-fixture.js'
import { providerConfigFixture } from './provider-config-fixture.js'
import { createProviderState } from './provider-state.js'

const KEYS = ['gsk_fakeaaaaaaaaaaaaaaaaaaaaaaaa1111', 'gsk_fakebbbbbbbbbbbbbbbbbbbbbbbb2222']
const groq = (keyIndex: number) => ({ provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex })
const gemini = { provider: 'gemini', model: 'gemini-2.5-flash', keyIndex: 0 }

function start(iso: string, keys = KEYS) {
  const clock = new ManualClock(Date.parse(iso))
  // Each key of its own Groq organization: its pool follows it when the config reorders keys.
  const pools = keys.map((key) => (key === KEYS[0] ? 'org-a' : 'org-b'))
  const providers = [
    providerConfigFixture('groq', keys, {}, pools),
    providerConfigFixture('gemini', ['gemini-key']),
  ]
  return { clock, state: createProviderState({ clock, providers }) }
}

describe('exportCounters / importCounters', () => {
  it('keeps daily usage and blocks across a restart, as plain JSON without keys', async () => {
    const before = start('2026-01-15T12:00:00.000Z')
    for (let i = 0; i < 3; i++)
      (await begin(before.state, groq(1), 100))?.settle({ outcome: 'ok', usageTokens: 200 })
    await before.state.coordination.observe(gemini, { outcome: 'quota', quotaKind: 'day' })
    const saved = JSON.parse(JSON.stringify(before.state.persistence.exportCounters()))
    for (const key of KEYS) expect(JSON.stringify(saved)).not.toContain(key)

    const after = start('2026-01-15T12:10:00.000Z')
    expect(after.state.persistence.importCounters(saved)).toEqual({ targets: 1, blocks: 1 })
    expect((await after.state.coordination.snapshot()).view(groq(1)).remaining).toEqual({
      requestsMinute: 30,
      requestsDay: 997,
      tokensMinute: 8_000,
      tokensDay: 199_400,
    })
    expect(await availabilityOf(after.state, gemini)).toMatchObject({
      state: 'quota',
      untilMs: Date.parse('2026-01-16T08:00:00.000Z'),
    })
  })

  it('follows a key that moved in the config, and drops counts of a removed key', async () => {
    const before = start('2026-01-15T12:00:00.000Z')
    ;(await begin(before.state, groq(1), 100))?.settle({ outcome: 'ok' })
    const saved = before.state.persistence.exportCounters()

    const reordered = start('2026-01-15T12:00:05.000Z', [KEYS[1]!, KEYS[0]!])
    reordered.state.persistence.importCounters(saved)
    expect((await reordered.state.coordination.snapshot()).view(groq(0)).remaining.requestsDay).toBe(999)
    expect((await reordered.state.coordination.snapshot()).view(groq(1)).remaining.requestsDay).toBe(1_000)

    const removed = start('2026-01-15T12:00:05.000Z', [KEYS[0]!])
    expect(removed.state.persistence.importCounters(saved)).toEqual({ targets: 0, blocks: 0 })
    expect((await removed.state.coordination.snapshot()).view(groq(0)).remaining.requestsDay).toBe(1_000)
  })

  it('forgets yesterday once the day has reset', async () => {
    const before = start('2026-01-15T23:50:00.000Z')
    ;(await begin(before.state, groq(0), 100))?.settle({ outcome: 'ok' })
    await before.state.coordination.observe(groq(1), { outcome: 'rate_limit', retryAfterMs: 60_000 })
    const after = start('2026-01-16T00:05:00.000Z')
    expect(after.state.persistence.importCounters(before.state.persistence.exportCounters())).toEqual({
      targets: 1,
      blocks: 0,
    })
    expect((await after.state.coordination.snapshot()).view(groq(0)).remaining.requestsDay).toBe(1_000)
    expect((await availabilityOf(after.state, groq(1))).state).toBe('ok')
  })

  it('rejects what is not saved counters', async () => {
    const { state } = start('2026-01-15T12:00:00.000Z')
    expect(() => state.persistence.importCounters({ version: 2 })).toThrow()
    expect(() => state.persistence.importCounters('nope')).toThrow()
  })

  it('holds blocks saved with absurd ends to the bounds of fresh ones', async () => {
    const before = start('2026-01-15T12:00:00.000Z')
    await before.state.coordination.observe(groq(0), { outcome: 'rate_limit', retryAfterMs: 60_000 })
    await before.state.coordination.observe(gemini, { outcome: 'quota', quotaKind: 'day' })
    const saved = before.state.persistence.exportCounters()
    const year5195 = Date.parse('5195-01-01T00:00:00.000Z')
    for (const block of saved.blocks) block.untilMs = year5195

    const after = start('2026-01-15T12:10:00.000Z')
    expect(after.state.persistence.importCounters(saved)).toEqual({ targets: 0, blocks: 2 })
    expect((await availabilityOf(after.state, groq(0))).untilMs).toBe(Date.parse('2026-01-16T12:10:00.000Z'))
    // Gemini's day ends at midnight Pacific (08:00 UTC); a saved quota block holds at most an hour past it.
    expect((await availabilityOf(after.state, gemini)).untilMs).toBe(Date.parse('2026-01-16T09:00:00.000Z'))
  })
})
