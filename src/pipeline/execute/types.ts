import type { UpstreamFailureKind } from '../../errors.js'
import type { RateLimitReading } from '../../providers/types.js'

/** What happened on one try, for headers, logs, metrics and the state layer. */
export interface AttemptRecord {
  provider: string
  model: string
  keyIndex: number
  outcome: 'ok' | UpstreamFailureKind
  status: number | null
  message: string | null
  retryAfterMs: number | null
  latencyMs: number
  limits: RateLimitReading | null
}
