/** Outcomes that are not a provider failing a call: it answered, was passed over, or its answer was refused. */
const NOT_A_FAILURE = new Set(['ok', 'skipped', 'refused'])

/** How many of a request's calls a provider failed (429, 5xx, timeout…): more than 0 on an answered request is a failover. */
export function failedAttempts(attempts: readonly { outcome: string }[]): number {
  return attempts.filter((attempt) => !NOT_A_FAILURE.has(attempt.outcome)).length
}
