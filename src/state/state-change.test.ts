import { describe, expect, it } from 'vitest'
import { ManualClock } from '../lib/clock.js'
import { begin } from './coordination-fixture.js'
import { providerConfigFixture } from './provider-config-fixture.js'
import { createProviderState } from './provider-state.js'
import { describeStateChange, type StateChange } from './state-change.js'

const KEY = 'gsk_fakeaaaaaaaaaaaaaaaaaaaaaaaa1111'
const groq = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 0 }

function setup() {
  const clock = new ManualClock(Date.parse('2026-01-15T12:00:00.000Z'))
  const changes: StateChange[] = []
  const state = createProviderState({
    clock,
    providers: [providerConfigFixture('groq', [KEY])],
    onChange: (change) => changes.push(change),
  })
  return { clock, state, changes }
}

describe('state changes reported by the state layer', () => {
  it('reports a breaker opening once, on the failure that opens it', async () => {
    const { state, changes } = setup()
    for (let i = 0; i < 2; i++) (await begin(state, groq, 10))?.settle({ outcome: 'overloaded', status: 503 })
    expect(changes).toEqual([])
    ;(await begin(state, groq, 10))?.settle({ outcome: 'network', message: `reset by ${KEY}` })
    await state.coordination.observe(groq, { outcome: 'network' })
    expect(changes).toHaveLength(1)
    const [opened] = changes
    expect(opened).toMatchObject({
      kind: 'breaker_opened',
      target: groq,
      untilMs: Date.parse('2026-01-15T12:30:00.000Z'),
    })
    expect(opened!.reason).toContain('network')
    expect(opened!.reason).not.toContain(KEY)
    expect(describeStateChange(opened!)).toEqual({
      message: 'circuit breaker opened',
      fields: {
        provider: 'groq',
        model: 'openai/gpt-oss-120b',
        reason: opened!.reason,
        until: '2026-01-15T12:30:00.000Z',
      },
    })
  })

  it('reports a key entering cooldown, a quota spent and a key disabled, each once', async () => {
    const { clock, state, changes } = setup()
    ;(await begin(state, groq, 10))?.settle({ outcome: 'rate_limit', status: 429, retryAfterMs: 12_000 })
    await state.coordination.observe(groq, { outcome: 'rate_limit', status: 429, retryAfterMs: 20_000 })
    expect(changes.map((c) => c.kind)).toEqual(['cooldown'])
    expect(describeStateChange(changes[0]!)).toMatchObject({
      message: 'key cooling down',
      fields: { provider: 'groq', key: 1, until: '2026-01-15T12:00:12.000Z' },
    })
    clock.advance(30_000)
    await state.coordination.observe(groq, { outcome: 'quota', status: 429, quotaKind: 'day' })
    expect(changes.map((c) => c.kind)).toEqual(['cooldown', 'quota_exhausted'])
    expect(describeStateChange(changes[1]!).message).toBe('daily quota spent')
    await state.coordination.observe(groq, { outcome: 'auth', status: 401 })
    expect(changes.map((c) => c.kind)).toEqual(['cooldown', 'quota_exhausted', 'key_disabled'])
    expect(describeStateChange(changes[2]!)).toMatchObject({ message: 'key disabled', fields: { key: 1 } })
  })

  it('reports nothing for successes and for failures about the request', async () => {
    const { state, changes } = setup()
    ;(await begin(state, groq, 10))?.settle({ outcome: 'ok' })
    await state.coordination.observe(groq, { outcome: 'bad_request', status: 400 })
    await state.coordination.observe(groq, { outcome: 'context_length', status: 400 })
    expect(changes).toEqual([])
  })
})
