import type { AttemptRecord } from '../attempts.js'
import { keyIndexOf } from '../execute/call-for.js'
import type { Candidate } from '../route/types.js'
import type { AffinityOutcome, MoveReason, PlannedAffinity } from '../types.js'

/** A failed call on the pinned target, as the reason its conversation moved. */
function reasonOfAttempt(attempt: AttemptRecord): MoveReason {
  const kind = attempt.outcome === 'skipped' ? (attempt.skippedAs ?? 'rate_limit') : attempt.outcome
  switch (kind) {
    case 'rate_limit':
      return 'rate_limited'
    case 'quota':
      return 'quota'
    case 'timeout':
      return 'timeout'
    case 'refused':
      return 'rejected'
    case 'context_length':
    case 'bad_request':
      return 'cannot_serve'
    case 'auth':
    case 'billing':
    case 'model_retired':
    case 'not_found':
      return 'disabled'
    default:
      return 'failed'
  }
}

/**
 * What affinity did, once the answer's target is known: a conversation without a pin is new; one
 * answered by its pinned target is kept; one answered elsewhere moved, because the target was
 * unavailable when planned or because its call failed. Pure: the header, /metrics and the pin store
 * read the same verdict.
 */
export function decideAffinity(
  planned: PlannedAffinity | null,
  answeredBy: Candidate | null,
  attempts: readonly AttemptRecord[],
): AffinityOutcome | null {
  if (planned === null || answeredBy === null) return null
  const pin = planned.pin
  if (pin === null) return { decision: 'new' }
  const isPinned = (target: { provider: string; model: string; keyIndex: number }) =>
    target.provider === pin.provider && target.model === pin.model && target.keyIndex === pin.keyIndex
  const answered = {
    provider: answeredBy.provider.name,
    model: answeredBy.model,
    keyIndex: keyIndexOf(answeredBy),
  }
  if (isPinned(answered)) return { decision: 'kept' }
  if (planned.unavailable !== null) return { decision: 'moved', reason: planned.unavailable }
  const failed = attempts.find((attempt) => isPinned(attempt) && attempt.outcome !== 'ok')
  return { decision: 'moved', reason: failed === undefined ? 'unavailable' : reasonOfAttempt(failed) }
}
