import { InvalidRequestError, UpstreamError } from '../../errors.js'
import { stoppedBy } from '../../lib/abort.js'
import type { Clock } from '../../lib/clock.js'
import type { ProviderAdapter } from '../../providers/types.js'
import type { ChatChunk, ChatRequest } from '../../wire/openai/types.js'
import { type AttemptRecord, exhausted, skippedAttempt, turnedAway } from '../attempts.js'
import type { CapacityGate, Lease } from '../ports.js'
import { liveModel } from '../route/live-model.js'
import type { Candidate } from '../route/types.js'
import type { AnswerCheck, PipelineSettings } from '../types.js'
import { callFor, keyIndexOf } from './call-for.js'
import { peekAnswer } from './peek-answer.js'
import { checkAnswerQuality } from './quality-gate.js'
import { withRateLimitedElsewhere } from './rate-limited-elsewhere.js'

export interface OpenDeps {
  adapterFor(candidate: Candidate): ProviderAdapter
  capacity: CapacityGate
  clock: Clock
  timeouts: PipelineSettings['timeouts']
  budget: PipelineSettings['budget']
  qualityGates: PipelineSettings['qualityGates']
}

/** An upstream that has produced its opening: from here on the answer is committed to it. */
export interface OpenedStream {
  candidate: Candidate
  candidateIndex: number
  /** This call's record among the attempts, completed (usage, outcome) once the answer is read. */
  record: AttemptRecord
  /** Chunks read while peeking, to be sent first. */
  head: ChatChunk[]
  /** The remaining chunks; iterating it to the end (or returning early) releases the upstream. */
  rest: AsyncIterator<ChatChunk>
  /** The state layer's claim for this call; settled by whoever reads the stream to its end. */
  lease: Lease
  /** False when the gate rejected the opening but no escalation was left to replace it. */
  passedGate: boolean
  abort: () => void
}

export interface OpenRequest {
  request: ChatRequest
  check: AnswerCheck
  estimatedTokens: number
  /** When the request arrived, for the wall-time budget. */
  startedAtMs: number
  /** Gate rejections that may still cost a call, shared by every step of one answer's chain. */
  escalations: { left: number }
}

/**
 * Tries candidates in order until one produces an acceptable opening within the first-byte timeout.
 * Peeking (as TensorZero does) lets fallback cover connection errors, 429/5xx, stalls, malformed output
 * and refusals before the client sees a byte. The state layer is asked first (no call to a target that
 * is cooling down, open or out of quota) and told every outcome. A request the upstream rejects as
 * invalid (400/422 not about context length) is thrown at once: it would fail everywhere. An answer the
 * quality gate rejects is kept as the last resort, and replaced at most `escalations` times.
 */
export async function openFirstAvailable(
  candidates: readonly Candidate[],
  startIndex: number,
  open: OpenRequest,
  deps: OpenDeps,
  signal: AbortSignal,
  attempts: AttemptRecord[],
): Promise<OpenedStream> {
  let lastResort: OpenedStream | null = null
  // After a context-length error, a model whose window is no larger would fail the same way: only
  // larger windows are worth a call.
  let tooSmallWindow = 0
  let untranslatable: InvalidRequestError | null = null
  let callsMade = attempts.filter((attempt) => attempt.outcome !== 'skipped').length
  // A model the provider just said it no longer serves is retried at once with the provider's next one.
  let standIn: Candidate | null = null
  for (let index = startIndex; index < candidates.length; index++) {
    if (signal.aborted) throw stoppedBy(signal)
    if (
      callsMade >= deps.budget.maxAttempts ||
      deps.clock.nowMs() - open.startedAtMs >= deps.budget.maxWallMs
    )
      break
    const candidate: Candidate = standIn ?? candidates[index]!
    standIn = null
    const target = {
      provider: candidate.provider.name,
      model: candidate.model,
      keyIndex: keyIndexOf(candidate),
    }
    const window = candidate.provider.modelInfo.contextWindow
    if (window <= tooSmallWindow) {
      const why = `its ${window}-token window is no larger than one too small`
      attempts.push(skippedAttempt(target, 'context_length', why))
      continue
    }
    const admission = await deps.capacity.admit(target, open.estimatedTokens)
    if ('refused' in admission) {
      // Retired since the plan was made: the provider's next model stands in, on the same key.
      standIn = admission.refused.state === 'disabled' ? await standInFor(candidate, deps.capacity) : null
      if (standIn !== null) index--
      else attempts.push(turnedAway(target, admission.refused, deps.clock.nowMs()))
      continue
    }
    const { lease } = admission
    const startedMs = deps.clock.nowMs()
    const record: AttemptRecord = {
      ...target,
      outcome: 'ok',
      status: null,
      message: null,
      retryAfterMs: null,
      latencyMs: 0,
      limits: null,
    }
    const finishRecord = (
      outcome: AttemptRecord['outcome'],
      error: UpstreamError | null,
      message?: string,
    ) => {
      record.outcome = outcome
      record.status = error?.upstreamStatus ?? null
      record.message = message ?? error?.message ?? null
      record.retryAfterMs = error?.retryAfterMs ?? null
      record.latencyMs = deps.clock.nowMs() - startedMs
      attempts.push(record)
    }
    const controller = new AbortController()
    const callSignal = AbortSignal.any([signal, controller.signal])
    try {
      const call = {
        signal: callSignal,
        abort: (reason: unknown) => controller.abort(reason),
        clientSignal: signal,
      }
      const upstream = await openWithin(candidate, open.request, deps, call, (reading) => {
        record.limits = reading
      })
      const opened: OpenedStream = {
        candidate,
        candidateIndex: index,
        record,
        head: upstream.head,
        rest: upstream.rest,
        lease,
        passedGate: true,
        abort: () => controller.abort(),
      }
      callsMade++
      const verdict = deps.qualityGates.enabled
        ? checkAnswerQuality({
            text: upstream.text,
            finishReason: upstream.finishReason,
            expectsCode: open.check.expectsCode,
            hasToolCalls: upstream.sawToolCall,
          })
        : ({ ok: true } as const)
      // Until the answer has finished only a refusal is certain; empty or code-less needs the whole answer.
      const isRejected = !verdict.ok && (upstream.finishReason !== null || verdict.reason === 'refusal')
      if (isRejected) {
        finishRecord('refused', null, `quality gate: ${verdict.reason}`)
        lease.settle({ outcome: 'ok', limits: record.limits })
        opened.passedGate = false
        if (open.escalations.left <= 0) {
          // No replacement left: the best-ranked rejected answer is the answer.
          if (lastResort === null) return opened
          opened.abort()
          return lastResort
        }
        open.escalations.left--
        if (lastResort === null) lastResort = opened
        else opened.abort()
        continue
      }
      finishRecord('ok', null)
      if (lastResort !== null) (lastResort as OpenedStream).abort()
      return opened
    } catch (error) {
      controller.abort()
      if (signal.aborted) {
        lease.release()
        throw stoppedBy(signal)
      }
      // Translating the client's request for this provider failed (an unusable image URL, a part its
      // format has no room for): the call never left and the provider did nothing wrong. Another
      // dialect may still take it; if none does, the client hears why.
      if (error instanceof InvalidRequestError) {
        lease.release()
        untranslatable ??= error
        attempts.push(skippedAttempt(target, 'bad_request', error.message))
        continue
      }
      callsMade++
      // Whatever else an adapter throws (a translator meeting output it cannot read) is a malformed answer.
      const failure =
        error instanceof UpstreamError
          ? error
          : new UpstreamError(`${candidate.provider.name} answered something SmartSplit cannot read`, {
              kind: 'malformed',
              cause: error,
            })
      finishRecord(failure.kind, failure)
      lease.settle({
        outcome: failure.kind,
        retryAfterMs: failure.retryAfterMs,
        limits: record.limits,
        quotaKind: failure.quotaKind,
        status: failure.upstreamStatus,
        message: failure.message,
      })
      if (failure.kind === 'context_length') tooSmallWindow = Math.max(tooSmallWindow, window)
      if (failure.kind === 'model_retired') {
        standIn = await standInFor(candidate, deps.capacity)
        if (standIn !== null) index--
      }
      if (!failure.retryable) {
        if (lastResort !== null) (lastResort as OpenedStream).abort()
        throw failure
      }
    }
  }
  if (lastResort !== null) return lastResort
  const tried = attempts.filter((attempt) => attempt.skippedAs !== 'bad_request')
  if (untranslatable !== null && tried.length === 0) throw untranslatable
  throw exhausted(await withRateLimitedElsewhere(tried, deps.capacity, deps.clock.nowMs()))
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

/**
 * Opens the call and peeks at its answer, both within the first-byte timeout; past the opening the
 * timeout no longer applies (the idle timeout of the adapter's stream does).
 */
async function openWithin(
  candidate: Candidate,
  request: ChatRequest,
  deps: OpenDeps,
  call: { signal: AbortSignal; abort: (reason: unknown) => void; clientSignal: AbortSignal },
  onLimits: (reading: AttemptRecord['limits']) => void,
) {
  const { firstByteMs } = deps.timeouts
  const firstByte = AbortSignal.timeout(firstByteMs)
  const onTimeout = (): void => call.abort(firstByte.reason)
  firstByte.addEventListener('abort', onTimeout, { once: true })
  try {
    const upstream = await deps.adapterFor(candidate).open(callFor(candidate, request, deps), call.signal)
    onLimits(upstream.limits)
    return await peekAnswer(upstream.chunks, deps.clock, deps.qualityGates.enabled, candidate.provider.name)
  } catch (error) {
    if (firstByte.aborted && !call.clientSignal.aborted)
      throw new UpstreamError(`${candidate.provider.name} sent nothing within ${firstByteMs} ms`, {
        kind: 'timeout',
      })
    throw error
  } finally {
    firstByte.removeEventListener('abort', onTimeout)
  }
}
