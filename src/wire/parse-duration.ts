import { type HttpHeaders, headerValue } from './http-headers.js'

// Providers state reset times in three ways: Go-style durations (OpenAI, Groq: "6m0s", "2m59.56s", "12ms"),
// float seconds (Cerebras: "33011.38"), or timestamps (OpenRouter epoch ms, Anthropic RFC 3339).

const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 1e-6,
}

/** "1h2m3.5s" / "12ms" → milliseconds; plain numbers are seconds. Null when unreadable. */
export function parseDurationMs(value: string | undefined): number | null {
  if (value === undefined) return null
  const text = value.trim()
  if (text === '') return null
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const pattern = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g
  let total = 0
  let consumed = 0
  for (const match of text.matchAll(pattern)) {
    total += Number(match[1]) * (UNIT_MS[match[2]!] ?? 0)
    consumed += match[0].length
  }
  return consumed === text.length ? Math.round(total) : null
}

/** A reset value that may be a duration, epoch seconds/ms or an ISO date → ms from now. */
export function parseResetMs(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null
  const text = value.trim()
  if (/^\d{12,}$/.test(text)) return Math.max(0, Number(text) - nowMs) // epoch milliseconds
  if (/^\d{10}$/.test(text)) return Math.max(0, Number(text) * 1000 - nowMs) // epoch seconds
  const duration = parseDurationMs(text)
  if (duration !== null) return duration
  const date = Date.parse(text)
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs)
}

/** `retry-after-ms`, then `retry-after` (seconds or HTTP date). */
export function parseRetryAfterMs(headers: HttpHeaders, nowMs: number): number | null {
  const ms = headerValue(headers, 'retry-after-ms')
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms))
  const after = headerValue(headers, 'retry-after')
  if (after === undefined) return null
  if (/^\d+(\.\d+)?$/.test(after.trim())) return Math.round(Number(after) * 1000)
  const date = Date.parse(after)
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs)
}
