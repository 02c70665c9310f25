/** True for the names of UTC itself, whose days need no time-zone rules (and no Intl) to compute. */
export function isUtcZone(timeZone: string): boolean {
  return timeZone === 'UTC' || timeZone === 'Etc/UTC'
}
