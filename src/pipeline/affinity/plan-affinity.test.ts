import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../lib/clock.js'
import { providerConfigFixture } from '../../state/provider-config-fixture.js'
import { createProviderState, type ProviderState } from '../../state/provider-state.js'
import type { AttemptRecord } from '../attempts.js'
import type { Candidate } from '../route/types.js'
import type { PlannedAffinity } from '../types.js'
import { decideAffinity } from './decide-affinity.js'
import { planAffinity } from './plan-affinity.js'

const groq = providerConfigFixture('groq', ['g1', 'g2'])
const cerebras = providerConfigFixture('cerebras', ['c1'])
const providers = [groq, cerebras]
const candidate = (provider: typeof groq, model: string, keyIndex: number): Candidate => ({
  provider,
  model,
  apiKey: provider.apiKeys[keyIndex]!,
  reason: 'ranked',
  prior: null,
})
// The ranking as the learner's exploration might order it: the pinned target last.
const ranked = [
  candidate(cerebras, 'gpt-oss-120b', 0),
  candidate(groq, 'openai/gpt-oss-120b', 0),
  candidate(groq, 'openai/gpt-oss-120b', 1),
]
const pin = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 1 }
const required = { tools: true, vision: false, jsonMode: false, contextTokens: 4_000 }
const work = { isBackgroundCall: false }

function stateAt(clock = new ManualClock()) {
  return createProviderState({ clock, providers })
}

function snapshotOf(state: ProviderState) {
  return state.coordination.snapshot()
}

describe('planAffinity', () => {
  it("puts the conversation's target first, whatever the ranking (exploration included) says", async () => {
    const { candidates, affinity } = planAffinity({ key: 'header:k', source: 'header', pin }, ranked, work, {
      providers,
      snapshot: await snapshotOf(stateAt()),
      required,
    })
    expect(candidates.map((c) => `${c.provider.name}/${c.apiKey}`)).toEqual([
      'groq/g2',
      'cerebras/c1',
      'groq/g1',
    ])
    expect(affinity).toEqual({ key: 'header:k', source: 'header', pin, unavailable: null })
  })

  it('leaves the ranking alone, and says why, while the target is rate-limited', async () => {
    const state = stateAt()
    await state.coordination.observe(pin, { outcome: 'rate_limit', retryAfterMs: 60_000 })
    const { candidates, affinity } = planAffinity({ key: 'k', source: 'user', pin }, ranked, work, {
      providers,
      snapshot: await snapshotOf(state),
      required,
    })
    expect(candidates).toEqual(ranked)
    expect(affinity?.unavailable).toBe('rate_limited')
  })

  it('moves a conversation whose target can no longer serve it (a context it cannot hold)', async () => {
    const { affinity } = planAffinity({ key: 'k', source: 'user', pin }, ranked, work, {
      providers,
      snapshot: await snapshotOf(stateAt()),
      required: { ...required, contextTokens: 10_000_000 },
    })
    expect(affinity?.unavailable).toBe('cannot_serve')
  })

  it('does nothing for an agent background call or an autocomplete', async () => {
    const context = { providers, snapshot: await snapshotOf(stateAt()), required }
    const conversation = { key: 'k', source: 'user' as const, pin }
    for (const analysis of [{ isBackgroundCall: true }, { isBackgroundCall: false, isAutocomplete: true }]) {
      expect(planAffinity(conversation, ranked, analysis, context)).toEqual({
        candidates: ranked,
        affinity: null,
      })
    }
  })
})

describe('decideAffinity', () => {
  const planned = (over: Partial<PlannedAffinity> = {}): PlannedAffinity => ({
    key: 'k',
    source: 'header',
    pin,
    unavailable: null,
    ...over,
  })
  const failed = (outcome: AttemptRecord['outcome'], target = pin): AttemptRecord => ({
    ...target,
    outcome,
    status: 429,
    message: null,
    retryAfterMs: null,
    latencyMs: 1,
    limits: null,
  })
  const pinned = ranked[2]!
  const other = ranked[0]!

  it('is new without a pin, kept when the pinned target answered', () => {
    expect(decideAffinity(planned({ pin: null }), other, [])).toEqual({ decision: 'new' })
    expect(decideAffinity(planned(), pinned, [])).toEqual({ decision: 'kept' })
  })

  it('says why a conversation moved: unavailable when planned, or its failed call', () => {
    expect(decideAffinity(planned({ unavailable: 'quota' }), other, [])).toEqual({
      decision: 'moved',
      reason: 'quota',
    })
    expect(decideAffinity(planned(), other, [failed('rate_limit')])).toEqual({
      decision: 'moved',
      reason: 'rate_limited',
    })
    expect(decideAffinity(planned(), other, [failed('timeout')])).toMatchObject({ reason: 'timeout' })
    expect(decideAffinity(planned(), other, [failed('overloaded')])).toMatchObject({ reason: 'failed' })
  })

  it('reports nothing where affinity does not apply or nothing answered', () => {
    expect(decideAffinity(null, pinned, [])).toBeNull()
    expect(decideAffinity(planned(), null, [failed('rate_limit')])).toBeNull()
  })
})
