import { describe, expect, it } from 'vitest'
import { dailyResetZone } from './daily-reset-zone.js'

describe('dailyResetZone', () => {
  it.each([
    ['gemini', 'America/Los_Angeles'],
    ['openrouter', 'UTC'],
    ['cloudflare', 'UTC'],
    ['groq', 'UTC'],
    ['some-custom-provider', 'UTC'],
    // Names every object inherits: a provider may be called so, and it resets at midnight UTC too.
    ['constructor', 'UTC'],
    ['toString', 'UTC'],
  ])('%s resets at midnight %s', (provider, zone) => {
    expect(dailyResetZone(provider)).toBe(zone)
  })

  it('lets configuration override the table', () => {
    expect(dailyResetZone('groq', { groq: 'America/New_York' })).toBe('America/New_York')
    expect(dailyResetZone('gemini', { groq: 'America/New_York' })).toBe('America/Los_Angeles')
  })

  it('has only zones Intl knows in its table (they are not checked at startup)', () => {
    for (const provider of ['gemini', 'openrouter', 'cloudflare', 'groq']) {
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: dailyResetZone(provider) })).not.toThrow()
    }
  })
})
