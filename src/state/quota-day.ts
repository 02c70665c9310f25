// Formatting a date in a time zone is expensive (an Intl formatter per call took 12 % of SmartSplit's CPU
// under load): one formatter per zone, and one answer per zone and minute (zone offsets are whole minutes,
// so a day never changes inside a minute). UTC, the zone of most providers, is read off the ISO date: no
// Intl, whose zone-aware formatter maps several MB of ICU data into the process.
import { isUtcZone } from './is-utc-zone.js'

const formatters = new Map<string, Intl.DateTimeFormat>()
const lastAnswer = new Map<string, { minute: number; day: string }>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    formatters.set(timeZone, format)
  }
  return format
}

/**
 * The provider's quota day containing `nowMs`, as YYYY-MM-DD in its reset zone: the key a store files
 * daily usage under, so a Gemini request at 23:00 Pacific counts toward that Pacific day.
 */
export function quotaDay(nowMs: number, timeZone: string): string {
  const minute = Math.floor(nowMs / 60_000)
  const cached = lastAnswer.get(timeZone)
  if (cached !== undefined && cached.minute === minute) return cached.day
  const day = isUtcZone(timeZone) ? new Date(nowMs).toISOString().slice(0, 10) : formattedDay(nowMs, timeZone)
  lastAnswer.set(timeZone, { minute, day })
  return day
}

function formattedDay(nowMs: number, timeZone: string): string {
  const parts: Record<string, string> = {}
  for (const part of formatterFor(timeZone).formatToParts(nowMs)) parts[part.type] = part.value
  return `${parts.year}-${parts.month}-${parts.day}`
}
