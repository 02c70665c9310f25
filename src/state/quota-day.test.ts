import { describe, expect, it } from 'vitest'
import { quotaDay } from './quota-day.js'

describe('quotaDay', () => {
  it.each([
    ['2026-01-16T07:59:59.999Z', 'America/Los_Angeles', '2026-01-15'],
    ['2026-01-16T08:00:00.000Z', 'America/Los_Angeles', '2026-01-16'],
    ['2026-07-05T06:59:00.000Z', 'America/Los_Angeles', '2026-07-04'],
    ['2026-01-16T00:00:00.000Z', 'UTC', '2026-01-16'],
    ['2026-12-31T23:59:59.999Z', 'UTC', '2026-12-31'],
  ])('%s in %s is %s', (iso, zone, day) => {
    expect(quotaDay(Date.parse(iso), zone)).toBe(day)
  })

  it('reads UTC days without Intl, as Intl reads them under another name for UTC', () => {
    // Each call at a new minute: the per-minute answer cache never hides the computation.
    for (
      let ms = Date.parse('2024-02-28T22:00:00.000Z');
      ms < Date.parse('2024-03-02T02:00:00.000Z');
      ms += 61_013
    ) {
      expect(quotaDay(ms, 'UTC')).toBe(quotaDay(ms, 'Etc/GMT'))
    }
  })
})
