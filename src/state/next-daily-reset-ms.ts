// Daily quotas reset at local midnight in the provider's zone (Gemini: Pacific, OpenRouter/Cloudflare: UTC).
// Intl knows each zone's DST rules, so a Pacific "day" is 23 h in March and 25 h in November. UTC, the zone
// of most providers, needs no Intl: a zone-aware formatter maps several MB of ICU data into the process.
import { isUtcZone } from './is-utc-zone.js'

const DAY_MS = 86_400_000

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

function wallClockAt(format: Intl.DateTimeFormat, epochMs: number): WallClock {
  const parts: Record<string, number> = {}
  for (const part of format.formatToParts(epochMs)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  }
}

/** How far the zone's wall clock is ahead of UTC at `epochMs` (−7 h in Pacific summer time). */
function zoneOffsetMs(format: Intl.DateTimeFormat, epochMs: number): number {
  const wholeSecondMs = Math.floor(epochMs / 1000) * 1000
  const wall = wallClockAt(format, wholeSecondMs)
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
  return wallAsUtc - wholeSecondMs
}

/**
 * The first local midnight in `timeZone` strictly after `nowMs`, as epoch ms. Throws RangeError for an
 * unknown zone, so configuration is checked once at startup.
 */
export function nextDailyResetMs(nowMs: number, timeZone: string): number {
  if (isUtcZone(timeZone)) return (Math.floor(nowMs / DAY_MS) + 1) * DAY_MS
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  const today = wallClockAt(format, nowMs)
  for (let daysAhead = 1; daysAhead <= 2; daysAhead++) {
    // Date.UTC normalises day overflow (Jan 32 → Feb 1); the offset is read twice because it may change
    // between now and that midnight (a DST switch in between).
    const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day + daysAhead)
    let resetMs = midnightAsUtc - zoneOffsetMs(format, midnightAsUtc)
    resetMs = midnightAsUtc - zoneOffsetMs(format, resetMs)
    if (resetMs > nowMs) return resetMs
  }
  return nowMs + DAY_MS
}
