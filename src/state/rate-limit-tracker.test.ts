import { describe, expect, it } from 'vitest'
import { ManualClock } from '../lib/clock.js'
import type { FreeTierLimits } from '../providers/catalog.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'
import { dailyResetZone } from './daily-reset-zone.js'
import { RateLimitTracker } from './rate-limit-tracker.js'

const SECOND_MS = 1000
const MINUTE_MS = 60 * SECOND_MS
const HOUR_MS = 60 * MINUTE_MS

const LIMITS: Record<string, FreeTierLimits> = {
  groq: { rpm: 30, rpd: 1_000, tpm: 8_000, tpd: 200_000 },
  gemini: { rpm: 10, rpd: 3, tpm: 250_000, tpd: null },
  openrouter: { rpm: 20, rpd: 2, tpm: null, tpd: null },
  tiny: { rpm: 2, rpd: null, tpm: 1_000, tpd: null },
  open: { rpm: null, rpd: null, tpm: null, tpd: null },
}

const target = (provider: string, keyIndex = 0) => ({ provider, model: 'm', keyIndex })

function setup(startIso = '2026-01-15T12:00:00.000Z') {
  const clock = new ManualClock(Date.parse(startIso))
  const tracker = new RateLimitTracker(clock, {
    limitsFor: (t) => LIMITS[t.provider] ?? LIMITS.open!,
    resetZoneFor: (provider) => dailyResetZone(provider),
  })
  return { clock, tracker }
}

function reading(fields: Partial<RateLimitReading>): RateLimitReading {
  return {
    requestsLimit: null,
    requestsRemaining: null,
    requestsResetMs: null,
    tokensLimit: null,
    tokensRemaining: null,
    tokensResetMs: null,
    requestsWindow: null,
    tokensWindow: null,
    ...fields,
  }
}

describe('RateLimitTracker', () => {
  it('reports configured limits for a target never used, null where unlimited', () => {
    const { tracker } = setup()
    expect(tracker.remaining(target('groq'))).toEqual({
      requestsMinute: 30,
      requestsDay: 1_000,
      tokensMinute: 8_000,
      tokensDay: 200_000,
    })
    expect(tracker.remaining(target('open'))).toEqual({
      requestsMinute: null,
      requestsDay: null,
      tokensMinute: null,
      tokensDay: null,
    })
    expect(tracker.canServe(target('open'), 1_000_000)).toBe(true)
  })

  it('reserves up front and settles to the real usage', () => {
    const { tracker } = setup()
    const reservation = tracker.reserve(target('groq'), 3_000)
    expect(tracker.remaining(target('groq'))).toMatchObject({
      requestsMinute: 29,
      tokensMinute: 5_000,
      tokensDay: 197_000,
    })
    reservation.settle(1_200)
    expect(tracker.remaining(target('groq'))).toMatchObject({
      requestsMinute: 29,
      tokensMinute: 6_800,
      tokensDay: 198_800,
    })
    reservation.settle(99_999) // only the first settle counts
    reservation.release()
    expect(tracker.remaining(target('groq'))).toMatchObject({ requestsMinute: 29, tokensMinute: 6_800 })
  })

  it('keeps the estimate when usage is unknown, and gives everything back on release', () => {
    const { tracker } = setup()
    tracker.reserve(target('groq'), 500).settle(null)
    expect(tracker.remaining(target('groq')).tokensMinute).toBe(7_500)
    tracker.reserve(target('groq'), 4_000).release()
    expect(tracker.remaining(target('groq'))).toMatchObject({
      requestsMinute: 29,
      requestsDay: 999,
      tokensMinute: 7_500,
    })
  })

  it('slides the minute window and refuses what does not fit', () => {
    const { clock, tracker } = setup()
    const tiny = target('tiny')
    tracker.reserve(tiny, 100)
    clock.advance(20 * SECOND_MS)
    tracker.reserve(tiny, 100)
    expect(tracker.canServe(tiny, 1)).toBe(false)
    expect(tracker.recoveryAtMs(tiny, 1)).toBe(clock.nowMs() + 40 * SECOND_MS)
    clock.advance(40 * SECOND_MS)
    expect(tracker.remaining(tiny).requestsMinute).toBe(1)
    expect(tracker.canServe(tiny, 900)).toBe(true)
    expect(tracker.canServe(tiny, 901)).toBe(false)
    // Tokens free up when the second reservation leaves the window.
    expect(tracker.recoveryAtMs(tiny, 901)).toBe(clock.nowMs() + 20 * SECOND_MS)
  })

  it('keeps one minute-log slot per 100 ms however busy, and frees capacity late, never early', () => {
    const { clock, tracker } = setup()
    const groq = target('groq')
    const start = clock.nowMs()
    // 30 calls (the rpm), 10 ms apart: ten per 100 ms slot.
    for (let i = 0; i < 30; i++) {
      tracker.reserve(groq, 10).settle(10)
      clock.advance(100 / 10)
    }
    const minute = tracker.exportCounters().find((c) => c.target.provider === 'groq')!.counters.minute
    expect(minute.length).toBeLessThanOrEqual(3)
    expect(minute.reduce((sum, slot) => sum + slot.requests, 0)).toBe(30)
    expect(tracker.canServe(groq, 1)).toBe(false)
    // The first call ages out at start + 60 s; its slot (calls up to start + 90 ms) a little later.
    const recovery = tracker.recoveryAtMs(groq, 1)!
    expect(recovery).toBeGreaterThanOrEqual(start + MINUTE_MS)
    expect(recovery).toBeLessThanOrEqual(start + MINUTE_MS + 100)
    clock.advance(recovery - clock.nowMs())
    expect(tracker.canServe(groq, 1)).toBe(true)
  })

  it('never serves a request larger than a whole window', () => {
    const { tracker } = setup()
    expect(tracker.canServe(target('tiny'), 1_001)).toBe(false)
    expect(tracker.recoveryAtMs(target('tiny'), 1_001)).toBeNull()
  })

  it('resets daily counts at midnight UTC for OpenRouter', () => {
    const { clock, tracker } = setup('2026-01-15T23:58:00.000Z')
    const key = target('openrouter')
    tracker.reserve(key, 10)
    clock.advance(MINUTE_MS)
    tracker.reserve(key, 10)
    expect(tracker.remaining(key).requestsDay).toBe(0)
    expect(tracker.canServe(key, 10)).toBe(false)
    expect(new Date(tracker.recoveryAtMs(key, 10) ?? 0).toISOString()).toBe('2026-01-16T00:00:00.000Z')
    clock.advance(MINUTE_MS - 1)
    expect(tracker.canServe(key, 10)).toBe(false)
    clock.advance(1)
    expect(tracker.remaining(key).requestsDay).toBe(2)
    expect(tracker.canServe(key, 10)).toBe(true)
  })

  it('resets daily counts at midnight Pacific for Gemini, not at midnight UTC', () => {
    const { clock, tracker } = setup('2026-01-15T20:00:00.000Z') // 12:00 PST
    const key = target('gemini')
    for (let i = 0; i < 3; i++) tracker.reserve(key, 10)
    expect(tracker.canServe(key, 10)).toBe(false)
    clock.advance(4 * HOUR_MS + 30 * MINUTE_MS) // 00:30 UTC, still 16:30 PST
    expect(tracker.remaining(key).requestsDay).toBe(0)
    expect(new Date(tracker.dayEndMs(key)).toISOString()).toBe('2026-01-16T08:00:00.000Z')
    clock.advance(7 * HOUR_MS + 30 * MINUTE_MS) // 08:00 UTC = midnight PST
    expect(tracker.remaining(key).requestsDay).toBe(3)
  })

  it('handles the Pacific spring-forward day (23 h) and the fall-back day (25 h)', () => {
    const { clock, tracker } = setup('2026-03-08T08:00:00.000Z') // midnight PST, DST starts at 02:00
    const key = target('gemini')
    for (let i = 0; i < 3; i++) tracker.reserve(key, 10)
    clock.advance(23 * HOUR_MS - 1)
    expect(tracker.remaining(key).requestsDay).toBe(0)
    clock.advance(1) // 2026-03-09T07:00Z = midnight PDT
    expect(tracker.remaining(key).requestsDay).toBe(3)

    const fall = setup('2026-11-01T07:00:00.000Z') // midnight PDT, DST ends at 02:00
    for (let i = 0; i < 3; i++) fall.tracker.reserve(key, 10)
    fall.clock.advance(24 * HOUR_MS)
    expect(fall.tracker.remaining(key).requestsDay).toBe(0)
    fall.clock.advance(HOUR_MS) // 2026-11-02T08:00Z = midnight PST
    expect(fall.tracker.remaining(key).requestsDay).toBe(3)
  })

  it('does not let yesterday’s settle touch today’s counts', () => {
    const { clock, tracker } = setup('2026-01-15T23:59:30.000Z')
    const key = target('groq')
    const reservation = tracker.reserve(key, 5_000)
    clock.advance(MINUTE_MS)
    reservation.settle(100)
    expect(tracker.remaining(key).tokensDay).toBe(200_000)
    expect(tracker.remaining(key).requestsDay).toBe(1_000)
  })

  it('takes Groq’s headers as the truth: requests per day, tokens per minute', () => {
    const { clock, tracker } = setup()
    const key = target('groq')
    tracker.reserve(key, 100).settle(100)
    tracker.observe(
      key,
      reading({
        requestsLimit: 1_000,
        requestsRemaining: 400,
        requestsResetMs: 2 * MINUTE_MS + 59_560,
        tokensLimit: 8_000,
        tokensRemaining: 1_000,
        tokensResetMs: 7_660,
        requestsWindow: 'day',
        tokensWindow: 'minute',
      }),
    )
    expect(tracker.remaining(key)).toMatchObject({
      requestsDay: 400,
      tokensMinute: 1_000,
      requestsMinute: 29,
    })
    tracker.reserve(key, 300)
    expect(tracker.remaining(key)).toMatchObject({ requestsDay: 399, tokensMinute: 700 })
    expect(tracker.canServe(key, 701)).toBe(false)
    expect(tracker.recoveryAtMs(key, 701)).toBe(clock.nowMs() + 7_660)
    clock.advance(7_660) // the provider's token figure expires: local counting again
    expect(tracker.remaining(key).tokensMinute).toBe(8_000 - 400)
    expect(tracker.remaining(key).requestsDay).toBe(399)
  })

  it('reads Cerebras-style day/minute figures and OpenRouter’s per-minute figure', () => {
    const { tracker } = setup()
    const cerebras = target('cerebras')
    tracker.observe(
      cerebras,
      reading({
        requestsLimit: 14_400,
        requestsRemaining: 14_000,
        requestsResetMs: 33_011_380,
        tokensLimit: 60_000,
        tokensRemaining: 0,
        tokensResetMs: 12_000,
        requestsWindow: 'day',
        tokensWindow: 'minute',
      }),
    )
    // Unconfigured limits are learned from the headers.
    expect(tracker.limits(cerebras)).toEqual({ rpm: null, rpd: 14_400, tpm: 60_000, tpd: null })
    expect(tracker.remaining(cerebras)).toEqual({
      requestsMinute: null,
      requestsDay: 14_000,
      tokensMinute: 0,
      tokensDay: null,
    })
    expect(tracker.canServe(cerebras, 1)).toBe(false)

    const openrouter = target('openrouter')
    tracker.observe(
      openrouter,
      reading({ requestsLimit: 20, requestsRemaining: 0, requestsResetMs: 30_000, requestsWindow: 'minute' }),
    )
    expect(tracker.remaining(openrouter).requestsMinute).toBe(0)
  })

  it('keeps a figure without reset until the end of its window', () => {
    const { clock, tracker } = setup('2026-01-15T23:00:00.000Z')
    const key = target('groq')
    tracker.observe(key, reading({ requestsRemaining: 0, requestsWindow: 'day' }))
    clock.advance(59 * MINUTE_MS)
    expect(tracker.remaining(key).requestsDay).toBe(0)
    clock.advance(MINUTE_MS)
    expect(tracker.remaining(key).requestsDay).toBe(1_000)
  })

  it('tracks each key separately', () => {
    const { tracker } = setup()
    tracker.reserve(target('tiny', 0), 1)
    tracker.reserve(target('tiny', 0), 1)
    expect(tracker.canServe(target('tiny', 0), 1)).toBe(false)
    expect(tracker.canServe(target('tiny', 1), 1)).toBe(true)
  })

  it('exports and imports counters, dropping what has expired', () => {
    const { clock, tracker } = setup('2026-01-15T12:00:00.000Z')
    const key = target('groq')
    tracker.reserve(key, 1_000).settle(1_500)
    clock.advance(30 * SECOND_MS)
    tracker.reserve(key, 500)
    const saved = tracker.exportCounters()
    expect(saved).toEqual([
      {
        target: key,
        counters: {
          day: { endMs: Date.parse('2026-01-16T00:00:00.000Z'), requests: 2, tokens: 2_000 },
          minute: [
            { atMs: Date.parse('2026-01-15T12:00:00.000Z'), requests: 1, tokens: 1_500 },
            { atMs: Date.parse('2026-01-15T12:00:30.000Z'), requests: 1, tokens: 500 },
          ],
        },
      },
    ])
    const restarted = setup('2026-01-15T12:00:45.000Z')
    restarted.tracker.importCounters(key, saved[0]!.counters)
    expect(restarted.tracker.remaining(key)).toEqual({
      requestsMinute: 28,
      requestsDay: 998,
      tokensMinute: 6_000,
      tokensDay: 198_000,
    })
    const nextDay = setup('2026-01-16T00:00:10.000Z')
    nextDay.tracker.importCounters(key, saved[0]!.counters)
    expect(nextDay.tracker.remaining(key)).toMatchObject({ requestsDay: 1_000, requestsMinute: 30 })
  })
})

describe('RateLimitTracker, given absurd resets', () => {
  it.each([
    ['a minute window', reading({ tokensRemaining: 0, tokensResetMs: 1e20 }), 24 * HOUR_MS],
    [
      'an infinite reset',
      reading({ tokensRemaining: 0, tokensResetMs: Number.POSITIVE_INFINITY }),
      24 * HOUR_MS,
    ],
    // Groq's day ends at midnight UTC, twelve hours after noon; a day figure holds at most an hour past it.
    [
      'a day window',
      reading({ requestsRemaining: 0, requestsResetMs: 1e20, requestsWindow: 'day' }),
      13 * HOUR_MS,
    ],
  ])('%s: blocked for a bounded time only', (_, figures, boundMs) => {
    const { clock, tracker } = setup()
    tracker.observe(target('groq'), figures)
    const recoveryAtMs = tracker.recoveryAtMs(target('groq'), 10)
    expect(recoveryAtMs).not.toBeNull()
    expect(recoveryAtMs!).toBeGreaterThan(clock.nowMs())
    expect(recoveryAtMs!).toBeLessThanOrEqual(clock.nowMs() + boundMs)
  })
})
