import type { UpstreamFailureKind } from '../../errors.js'
import type { RateLimitReading } from '../../providers/types.js'

/**
 * What happened on one try, for headers, logs, metrics and the state layer. `refused` is an answer the
 * quality gate rejected (a refusal, an empty answer…); `skipped` a target the state layer had no
 * capacity for, so no call was made.
 */
export interface AttemptRecord {
  provider: string
  model: string
  keyIndex: number
  outcome: 'ok' | 'refused' | 'skipped' | UpstreamFailureKind
  /** For `skipped`: what the state layer said (rate_limit, quota, overloaded for an open breaker, auth). */
  skippedAs?: UpstreamFailureKind
  status: number | null
  message: string | null
  retryAfterMs: number | null
  latencyMs: number
  limits: RateLimitReading | null
}
