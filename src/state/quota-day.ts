/**
 * The provider's quota day containing `nowMs`, as YYYY-MM-DD in its reset zone: the key a store files
 * daily usage under, so a Gemini request at 23:00 Pacific counts toward that Pacific day.
 */
export function quotaDay(nowMs: number, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
  const parts: Record<string, string> = {}
  for (const part of format.formatToParts(nowMs)) parts[part.type] = part.value
  return `${parts.year}-${parts.month}-${parts.day}`
}
