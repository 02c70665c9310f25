import type { InvalidRequestError, UpstreamError } from '../../errors.js'
import { stoppedBy } from '../../lib/abort.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { type AttemptRecord, exhausted, skippedAttempt, turnedAway } from '../attempts.js'
import type { CapacityGate } from '../ports.js'
import { liveModel } from '../route/live-model.js'
import type { Candidate } from '../route/types.js'
import type { AnswerCheck, PipelineSettings } from '../types.js'
import { type CallDeps, callCandidate, type OpenedStream } from './call-candidate.js'
import { keyIndexOf } from './call-for.js'
import { withRateLimitedElsewhere } from './rate-limited-elsewhere.js'

export type { OpenedStream } from './call-candidate.js'

export interface OpenDeps extends CallDeps {
  capacity: CapacityGate
  budget: PipelineSettings['budget']
}

export interface OpenRequest {
  request: ChatRequest
  check: AnswerCheck
  estimatedTokens: number
  /** When the request arrived, for the wall-time budget. */
  startedAtMs: number
  /** Gate rejections that may still cost a call, shared by every step of one answer's chain. */
  escalations: { left: number }
  /**
   * Whether the quality gate judges the opening before the answer is committed: a stream's client
   * reads on from there. An answer read to its end is judged whole instead, so its opening is neither
   * held nor judged twice.
   */
  gateOpening: boolean
}

/** What one walk down the chain has learned so far. */
interface ChainState {
  calls: number
  /** A rejected opening kept as the answer of last resort. */
  lastResort: OpenedStream | null
  /** After a context-length error, a model whose window is no larger would fail the same way. */
  tooSmallWindow: number
  untranslatable: InvalidRequestError | null
  /** The first upstream that rejected the request as invalid, waiting for a second opinion. */
  rejected: { provider: string; error: UpstreamError } | null
}

/**
 * Tries candidates in order until one produces an acceptable opening within the first-byte timeout.
 * Peeking (as TensorZero does) lets fallback cover connection errors, 429/5xx, stalls, malformed output
 * and refusals before the client sees a byte. The state layer is asked first (no call to a target that
 * is cooling down, open or out of quota) and told every outcome. A request one upstream rejects as
 * invalid (400/413/422 not about context length) gets one second opinion, from another provider:
 * providers disagree on what is valid (Mistral caps temperature at 1.5 and refuses a user turn after a
 * tool result; Gemini refuses schema keywords others take), so the next provider's answer is the
 * client's, and when it rejects the request too, the first rejection is. An answer the
 * quality gate rejects is kept as the last resort, and replaced at most `escalations` times. A model
 * its provider has retired gives way to the provider's next one, on the same key.
 */
export async function openFirstAvailable(
  candidates: readonly Candidate[],
  startIndex: number,
  open: OpenRequest,
  deps: OpenDeps,
  signal: AbortSignal,
  attempts: AttemptRecord[],
): Promise<OpenedStream> {
  const chain: ChainState = {
    calls: attempts.filter((attempt) => attempt.outcome !== 'skipped').length,
    lastResort: null,
    tooSmallWindow: 0,
    untranslatable: null,
    rejected: null,
  }
  const queue: { candidate: Candidate; index: number }[] = candidates
    .slice(startIndex)
    .map((candidate, offset) => ({ candidate, index: startIndex + offset }))
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (signal.aborted) throw stoppedBy(signal)
    if (isOverBudget(chain, open, deps)) break
    const { candidate, index } = next
    const target = {
      provider: candidate.provider.name,
      model: candidate.model,
      keyIndex: keyIndexOf(candidate),
    }
    if (chain.rejected?.provider === target.provider) {
      attempts.push(skippedAttempt(target, 'bad_request', `${target.provider} already rejected this request`))
      continue
    }
    const window = candidate.provider.modelInfo.contextWindow
    if (window <= chain.tooSmallWindow) {
      attempts.push(
        skippedAttempt(
          target,
          'context_length',
          `its ${window}-token window is no larger than one too small`,
        ),
      )
      continue
    }
    const admission = await deps.capacity.admit(target, open.estimatedTokens)
    if ('refused' in admission) {
      // Retired since the plan was made: the provider's next model stands in, on the same key.
      const standIn =
        admission.refused.state === 'disabled' ? await standInFor(candidate, deps.capacity) : null
      if (standIn !== null) queue.unshift({ candidate: standIn, index })
      else attempts.push(turnedAway(target, admission.refused, deps.clock.nowMs()))
      continue
    }
    const result = await callCandidate(candidate, index, admission.lease, open, deps, signal)
    if (result.kind === 'untranslatable') {
      // Another dialect may still take it; if none does, the client hears why.
      chain.untranslatable ??= result.error
      attempts.push(skippedAttempt(target, 'bad_request', result.error.message))
      continue
    }
    chain.calls++
    if (result.kind === 'opened') {
      attempts.push(result.opened.record)
      chain.lastResort?.abort()
      return result.opened
    }
    if (result.kind === 'rejected') {
      attempts.push(result.opened.record)
      const answer = keepRejected(chain, result.opened, open)
      if (answer !== null) return answer
      continue
    }
    const { failure } = result
    attempts.push(result.record)
    if (failure.kind === 'context_length') chain.tooSmallWindow = Math.max(chain.tooSmallWindow, window)
    if (failure.kind === 'model_retired') {
      const standIn = await standInFor(candidate, deps.capacity)
      if (standIn !== null) queue.unshift({ candidate: standIn, index })
    }
    if (failure.kind === 'bad_request') {
      if (chain.rejected !== null) {
        chain.lastResort?.abort()
        throw chain.rejected.error
      }
      chain.rejected = { provider: target.provider, error: failure }
    }
  }
  if (chain.lastResort !== null) return chain.lastResort
  // No other provider gave a second opinion (none left, or none could take the call): the rejection stands.
  if (chain.rejected !== null) throw chain.rejected.error
  const tried = attempts.filter((attempt) => attempt.skippedAs !== 'bad_request')
  if (chain.untranslatable !== null && tried.length === 0) throw chain.untranslatable
  throw exhausted(await withRateLimitedElsewhere(tried, deps.capacity, deps.clock.nowMs()))
}

function isOverBudget(chain: ChainState, open: OpenRequest, deps: OpenDeps): boolean {
  return (
    chain.calls >= deps.budget.maxAttempts || deps.clock.nowMs() - open.startedAtMs >= deps.budget.maxWallMs
  )
}

/**
 * An opening the gate rejected: replaced while escalations are left (the first one kept as the last
 * resort); once none are left, the best-ranked rejected answer is the answer.
 */
function keepRejected(chain: ChainState, opened: OpenedStream, open: OpenRequest): OpenedStream | null {
  if (open.escalations.left <= 0) {
    if (chain.lastResort === null) return opened
    opened.abort()
    return chain.lastResort
  }
  open.escalations.left--
  if (chain.lastResort === null) chain.lastResort = opened
  else opened.abort()
  return null
}

/** The same provider and key with its next model in service, or null when it has none left. */
async function standInFor(candidate: Candidate, capacity: CapacityGate): Promise<Candidate | null> {
  const snapshot = await capacity.snapshot()
  const model = liveModel(candidate.provider, candidate.model, (provider, id) =>
    snapshot.isRetired(provider, id),
  )
  if (model === null || model === candidate.model) return null
  return {
    ...candidate,
    model,
    reason: `${candidate.reason}; ${candidate.model} is retired, ${model} instead`,
  }
}
