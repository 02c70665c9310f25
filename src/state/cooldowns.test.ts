import { describe, expect, it } from 'vitest'
import { ManualClock } from '../lib/clock.js'
import { Cooldowns } from './cooldowns.js'

const groq0 = { provider: 'groq', model: 'llama', keyIndex: 0 }
const groq1 = { provider: 'groq', model: 'llama', keyIndex: 1 }
const groqOther = { provider: 'groq', model: 'gpt-oss', keyIndex: 0 }

describe('Cooldowns', () => {
  it('holds a cooldown for its duration, then forgets it', () => {
    const clock = new ManualClock()
    const cooldowns = new Cooldowns(clock)
    cooldowns.coolDown(groq0, 5_000, '429')
    expect(cooldowns.blockOf(groq0)).toEqual({
      state: 'cooldown',
      untilMs: clock.nowMs() + 5_000,
      reason: '429',
    })
    expect(cooldowns.blockOf(groq1)).toBeNull()
    expect(cooldowns.blockOf(groqOther)).toBeNull()
    clock.advance(4_999)
    expect(cooldowns.blockOf(groq0)?.state).toBe('cooldown')
    clock.advance(1)
    expect(cooldowns.blockOf(groq0)).toBeNull()
  })

  it('keeps the longer of two blocks', () => {
    const clock = new ManualClock()
    const cooldowns = new Cooldowns(clock)
    const midnight = clock.nowMs() + 3_600_000
    cooldowns.exhaustQuota(groq0, midnight, 'daily')
    cooldowns.coolDown(groq0, 1_000, 'short 429')
    expect(cooldowns.blockOf(groq0)).toMatchObject({ state: 'quota', untilMs: midnight })
    cooldowns.coolDown(groq1, 1_000, 'short')
    cooldowns.coolDown(groq1, 9_000, 'long')
    expect(cooldowns.blockOf(groq1)).toMatchObject({ state: 'cooldown', reason: 'long' })
  })

  it('disables a key for every model of its provider, without end', () => {
    const clock = new ManualClock()
    const cooldowns = new Cooldowns(clock)
    cooldowns.disableKey('groq', 0, 'key rejected')
    expect(cooldowns.blockOf(groq0)).toEqual({ state: 'disabled', untilMs: null, reason: 'key rejected' })
    expect(cooldowns.blockOf(groqOther)?.state).toBe('disabled')
    expect(cooldowns.blockOf(groq1)).toBeNull()
    clock.advance(365 * 86_400_000)
    expect(cooldowns.blockOf(groq0)?.state).toBe('disabled')
  })

  it('exports only timed blocks still in force', () => {
    const clock = new ManualClock()
    const cooldowns = new Cooldowns(clock)
    cooldowns.coolDown(groq0, 1_000, 'a')
    cooldowns.coolDown(groq1, 10_000, 'b')
    cooldowns.disableKey('groq', 0, 'c')
    clock.advance(2_000)
    expect(cooldowns.exportBlocks()).toEqual([
      { target: groq1, block: { state: 'cooldown', untilMs: clock.nowMs() + 8_000, reason: 'b' } },
    ])
  })
})

describe('Cooldowns, given an absurd wait', () => {
  it.each([1e20, Number.POSITIVE_INFINITY])('cools down for at most 24 h (%s ms asked)', (waitMs) => {
    const clock = new ManualClock()
    const cooldowns = new Cooldowns(clock)
    cooldowns.coolDown(groq0, waitMs, '429')
    expect(cooldowns.blockOf(groq0)?.untilMs).toBe(clock.nowMs() + 24 * 3_600_000)
  })
})
