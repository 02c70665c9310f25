/**
 * Milliseconds from `nowMs` until an RFC 3339 timestamp (`anthropic-ratelimit-*-reset`,
 * e.g. `2025-08-21T12:40:59Z`); 0 when it has already passed, null when absent or unreadable.
 */
export function msUntilReset(timestamp: string | undefined, nowMs: number): number | null {
  if (timestamp === undefined) return null
  const resetMs = Date.parse(timestamp)
  if (Number.isNaN(resetMs)) return null
  return Math.max(0, resetMs - nowMs)
}
