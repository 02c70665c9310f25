import { AllProvidersFailedError, type FailedAttempt, type UpstreamFailureKind } from '../errors.js'
import type { AttemptTarget, Availability, AvailabilityState } from '../state/types.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'

/**
 * What happened on one try, for headers, logs, metrics and the state layer. `refused` is an answer the
 * quality gate rejected (a refusal, an empty answer…); `skipped` a target that could not take the call
 * (no capacity, a window too small, a request its format cannot carry), so no call was made.
 */
export interface AttemptRecord {
  provider: string
  model: string
  keyIndex: number
  outcome: 'ok' | 'refused' | 'skipped' | UpstreamFailureKind
  /** For `skipped`: what kind of failure the skip stands for (rate_limit, quota, overloaded, auth…). */
  skippedAs?: UpstreamFailureKind
  status: number | null
  message: string | null
  retryAfterMs: number | null
  latencyMs: number
  limits: RateLimitReading | null
  /**
   * What this call itself consumed, once its answer was read; absent for calls that produced nothing.
   * cachedTokens: prompt tokens the provider read from its prompt cache (part of tokensIn).
   */
  usage?: { tokensIn: number; tokensOut: number; cachedTokens: number; estimated: boolean }
}

/** The one mapping from why a target cannot take a call to the failure that stands for it. */
export function skippedKind(state: AvailabilityState): UpstreamFailureKind {
  if (state === 'quota') return 'quota'
  if (state === 'disabled') return 'auth'
  if (state === 'open' || state === 'half_open') return 'overloaded'
  return 'rate_limit'
}

/** A candidate passed over without a call, and the failure that stands for it. */
export function skippedAttempt(
  target: AttemptTarget,
  skippedAs: UpstreamFailureKind,
  message: string,
  retryAfterMs: number | null = null,
): AttemptRecord {
  return {
    provider: target.provider,
    model: target.model,
    keyIndex: target.keyIndex,
    outcome: 'skipped',
    skippedAs,
    status: null,
    message: `skipped: ${message}`,
    retryAfterMs,
    latencyMs: 0,
    limits: null,
  }
}

/** A target the state layer turned away: no call, and when it may take one again. */
export function turnedAway(target: AttemptTarget, availability: Availability, nowMs: number): AttemptRecord {
  const retryAfterMs = availability.untilMs === null ? null : Math.max(0, availability.untilMs - nowMs)
  return skippedAttempt(
    target,
    skippedKind(availability.state),
    availability.reason ?? 'no capacity left',
    retryAfterMs,
  )
}

/** The attempts that failed, as the error every candidate being exhausted turns into. */
export function exhausted(attempts: readonly AttemptRecord[]): AllProvidersFailedError {
  const failed: FailedAttempt[] = []
  for (const attempt of attempts) {
    if (attempt.outcome === 'ok') continue
    failed.push({
      provider: attempt.provider,
      model: attempt.model,
      kind:
        attempt.outcome === 'refused'
          ? 'malformed'
          : attempt.outcome === 'skipped'
            ? (attempt.skippedAs ?? 'rate_limit')
            : attempt.outcome,
      status: attempt.status,
      message: attempt.message ?? '',
      retryAfterMs: attempt.retryAfterMs,
    })
  }
  return new AllProvidersFailedError(failed)
}
