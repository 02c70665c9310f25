import { describe, expect, it } from 'vitest'
import { nextDailyResetMs } from './next-daily-reset-ms.js'

const at = (iso: string): number => Date.parse(iso)
const iso = (ms: number): string => new Date(ms).toISOString()
const HOUR_MS = 3_600_000

describe('nextDailyResetMs', () => {
  it.each([
    // [now, zone, next reset]
    ['2026-01-15T13:45:00.000Z', 'UTC', '2026-01-16T00:00:00.000Z'],
    ['2026-01-15T23:59:59.999Z', 'UTC', '2026-01-16T00:00:00.000Z'],
    ['2026-12-31T12:00:00.000Z', 'UTC', '2027-01-01T00:00:00.000Z'],
    ['2026-02-28T12:00:00.000Z', 'UTC', '2026-03-01T00:00:00.000Z'],
    // Pacific standard time (UTC−8) and daylight time (UTC−7)
    ['2026-01-15T13:45:00.000Z', 'America/Los_Angeles', '2026-01-16T08:00:00.000Z'],
    ['2026-01-16T07:59:00.000Z', 'America/Los_Angeles', '2026-01-16T08:00:00.000Z'],
    ['2026-07-04T12:00:00.000Z', 'America/Los_Angeles', '2026-07-05T07:00:00.000Z'],
    // Spring forward (2026-03-08 02:00 PST → 03:00 PDT): the day after that midnight lasts 23 h.
    ['2026-03-08T07:30:00.000Z', 'America/Los_Angeles', '2026-03-08T08:00:00.000Z'],
    ['2026-03-08T09:00:00.000Z', 'America/Los_Angeles', '2026-03-09T07:00:00.000Z'],
    // Fall back (2026-11-01 02:00 PDT → 01:00 PST): that day lasts 25 h.
    ['2026-11-01T06:30:00.000Z', 'America/Los_Angeles', '2026-11-01T07:00:00.000Z'],
    ['2026-11-01T07:00:00.000Z', 'America/Los_Angeles', '2026-11-02T08:00:00.000Z'],
    ['2026-11-01T09:30:00.000Z', 'America/Los_Angeles', '2026-11-02T08:00:00.000Z'],
    // A half-hour zone, east of UTC
    ['2026-05-01T20:00:00.000Z', 'Asia/Kolkata', '2026-05-02T18:30:00.000Z'],
  ])('from %s in %s → %s', (now, zone, expected) => {
    expect(iso(nextDailyResetMs(at(now), zone))).toBe(expected)
  })

  it('is strictly after now, even exactly at midnight', () => {
    expect(iso(nextDailyResetMs(at('2026-01-16T00:00:00.000Z'), 'UTC'))).toBe('2026-01-17T00:00:00.000Z')
    expect(iso(nextDailyResetMs(at('2026-01-16T08:00:00.000Z'), 'America/Los_Angeles'))).toBe(
      '2026-01-17T08:00:00.000Z',
    )
  })

  it('gives Pacific days of 23 h and 25 h around the DST switches', () => {
    const springDayStart = at('2026-03-08T08:00:00.000Z')
    expect(nextDailyResetMs(springDayStart, 'America/Los_Angeles') - springDayStart).toBe(23 * HOUR_MS)
    const fallDayStart = at('2026-11-01T07:00:00.000Z')
    expect(nextDailyResetMs(fallDayStart, 'America/Los_Angeles') - fallDayStart).toBe(25 * HOUR_MS)
  })

  it('computes UTC without Intl, to the millisecond Intl gives for the same zone under another name', () => {
    // Etc/GMT is UTC under a name the arithmetic path does not take: it goes through the formatter.
    for (
      let ms = at('2024-02-28T00:00:00.000Z');
      ms < at('2024-03-03T00:00:00.000Z');
      ms += 7 * 60_000 + 13
    ) {
      expect(nextDailyResetMs(ms, 'UTC')).toBe(nextDailyResetMs(ms, 'Etc/GMT'))
      expect(nextDailyResetMs(ms, 'Etc/UTC')).toBe(nextDailyResetMs(ms, 'Etc/GMT'))
    }
    expect(iso(nextDailyResetMs(at('1969-12-31T18:00:00.000Z'), 'UTC'))).toBe('1970-01-01T00:00:00.000Z')
  })

  it('rejects an unknown zone', () => {
    expect(() => nextDailyResetMs(0, 'Mars/Olympus_Mons')).toThrow(RangeError)
  })
})
