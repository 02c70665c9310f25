import type { AttemptOutcome } from './types.js'

/** Cooldown after a 429 that named no wait. */
const DEFAULT_RETRY_AFTER_MS = 60_000

/** What one attempt's outcome means for the state of its target. */
export type OutcomeEffect =
  | { kind: 'success' }
  /** network, timeout, overloaded, malformed: the provider is unwell; counts toward its breaker. */
  | { kind: 'breaker_failure' }
  /** 429: wait as long as the provider asked, somewhere else meanwhile. */
  | { kind: 'cooldown'; durationMs: number }
  /** A daily quota is spent: off until the provider's next daily reset. */
  | { kind: 'quota_until_reset' }
  /** 401/403 or 402: the key is off until the configuration changes. */
  | { kind: 'disable_key'; cause: 'auth' | 'billing' }
  /** The provider no longer serves this model: route to its next model until the recheck. */
  | { kind: 'retire_model' }
  /** bad_request, context_length, not_found: about the request, not the provider. */
  | { kind: 'none' }

/**
 * Maps an outcome to its state change. Only failures that say the provider is unhealthy count toward the
 * breaker: a 429 is the provider working as documented, and a bad request would fail everywhere.
 */
export function outcomeEffect(outcome: AttemptOutcome): OutcomeEffect {
  if (outcome.outcome === 'ok') return { kind: 'success' }
  switch (outcome.outcome) {
    case 'network':
    case 'timeout':
    case 'overloaded':
    case 'malformed':
      return { kind: 'breaker_failure' }
    case 'rate_limit':
    case 'quota':
      return limitEffect(outcome)
    case 'auth':
      return { kind: 'disable_key', cause: 'auth' }
    case 'billing':
      return { kind: 'disable_key', cause: 'billing' }
    case 'model_retired':
      return { kind: 'retire_model' }
    case 'bad_request':
    case 'context_length':
    case 'not_found':
      return { kind: 'none' }
  }
}

function limitEffect(outcome: AttemptOutcome): OutcomeEffect {
  // Gemini's daily 429 still carries a retryDelay of seconds; a daily quota is not worth retrying before
  // its reset. A spent quota of unknown kind with no hint is treated as daily: free tiers reset daily.
  const retryAfterMs = outcome.retryAfterMs ?? null
  if (outcome.quotaKind === 'day') return { kind: 'quota_until_reset' }
  if (outcome.outcome === 'quota' && outcome.quotaKind !== 'minute' && retryAfterMs === null) {
    return { kind: 'quota_until_reset' }
  }
  return { kind: 'cooldown', durationMs: retryAfterMs ?? DEFAULT_RETRY_AFTER_MS }
}
