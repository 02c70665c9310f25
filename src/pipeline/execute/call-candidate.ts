import { InvalidRequestError, UpstreamError } from '../../errors.js'
import { stoppedBy } from '../../lib/abort.js'
import type { Clock } from '../../lib/clock.js'
import type { ProviderAdapter } from '../../providers/types.js'
import type { ChatChunk, ChatRequest } from '../../wire/openai/types.js'
import type { AttemptRecord } from '../attempts.js'
import type { Lease } from '../ports.js'
import type { Candidate } from '../route/types.js'
import type { AnswerCheck, PipelineSettings } from '../types.js'
import { callFor, keyIndexOf } from './call-for.js'
import { peekAnswer } from './peek-answer.js'
import { checkAnswerQuality } from './quality-gate.js'

export interface CallDeps {
  adapterFor(candidate: Candidate): ProviderAdapter
  clock: Clock
  timeouts: PipelineSettings['timeouts']
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

/** How one call ended: an opening to keep, an opening the gate rejected, or no opening at all. */
export type CallResult =
  | { kind: 'opened'; opened: OpenedStream }
  | { kind: 'rejected'; opened: OpenedStream }
  | { kind: 'untranslatable'; error: InvalidRequestError }
  | { kind: 'failed'; failure: UpstreamError; record: AttemptRecord }

/**
 * One call to one candidate holding a lease: open it, peek at its opening within the first-byte timeout,
 * and let the quality gate judge what it can already (a refusal, or a complete answer). The attempt is
 * recorded and the lease settled for every ending except an opening kept (its reader settles it).
 */
export async function callCandidate(
  candidate: Candidate,
  candidateIndex: number,
  lease: Lease,
  request: { request: ChatRequest; check: AnswerCheck; gateOpening: boolean },
  deps: CallDeps,
  signal: AbortSignal,
): Promise<CallResult> {
  const startedMs = deps.clock.nowMs()
  const record: AttemptRecord = {
    provider: candidate.provider.name,
    model: candidate.model,
    keyIndex: keyIndexOf(candidate),
    outcome: 'ok',
    status: null,
    message: null,
    retryAfterMs: null,
    latencyMs: 0,
    limits: null,
  }
  const close = (outcome: AttemptRecord['outcome'], error: UpstreamError | null, message?: string): void => {
    record.outcome = outcome
    record.status = error?.upstreamStatus ?? null
    record.message = message ?? error?.message ?? null
    record.retryAfterMs = error?.retryAfterMs ?? null
    record.latencyMs = deps.clock.nowMs() - startedMs
  }
  // The call's own signal, also aborted when the request's is. A listener rather than AbortSignal.any:
  // on Node 20 each `any` costs tens of microseconds and weak references the collector must trace.
  const controller = new AbortController()
  const forwardAbort = (): void => controller.abort(signal.reason)
  if (signal.aborted) forwardAbort()
  else signal.addEventListener('abort', forwardAbort, { once: true })
  try {
    const gateOpening = deps.qualityGates.enabled && request.gateOpening
    const peeked = await openWithin(candidate, request.request, deps, gateOpening, {
      signal: controller.signal,
      abort: (reason) => controller.abort(reason),
      clientSignal: signal,
      onLimits: (reading) => {
        record.limits = reading
      },
    })
    const opened: OpenedStream = {
      candidate,
      candidateIndex,
      record,
      head: peeked.head,
      rest: peeked.rest,
      lease,
      passedGate: true,
      abort: () => controller.abort(),
    }
    const verdict = gateOpening
      ? checkAnswerQuality({
          text: peeked.text,
          finishReason: peeked.finishReason,
          expectsCode: request.check.expectsCode,
          hasToolCalls: peeked.sawToolCall,
        })
      : ({ ok: true } as const)
    // Until the answer has finished only a refusal is certain; empty or code-less needs the whole answer.
    if (!verdict.ok && (peeked.finishReason !== null || verdict.reason === 'refusal')) {
      close('refused', null, `quality gate: ${verdict.reason}`)
      lease.settle({ outcome: 'ok', limits: record.limits })
      opened.passedGate = false
      return { kind: 'rejected', opened }
    }
    close('ok', null)
    return { kind: 'opened', opened }
  } catch (error) {
    signal.removeEventListener('abort', forwardAbort)
    controller.abort()
    if (signal.aborted) {
      lease.release()
      throw stoppedBy(signal)
    }
    // Translating the client's request for this provider failed (an unusable image URL, a part its
    // format has no room for): the call never left and the provider did nothing wrong.
    if (error instanceof InvalidRequestError) {
      lease.release()
      return { kind: 'untranslatable', error }
    }
    // Whatever else an adapter throws (a translator meeting output it cannot read) is a malformed answer.
    const failure =
      error instanceof UpstreamError
        ? error
        : new UpstreamError(`${candidate.provider.name} answered something SmartSplit cannot read`, {
            kind: 'malformed',
            cause: error,
          })
    close(failure.kind, failure)
    lease.settle({
      outcome: failure.kind,
      retryAfterMs: failure.retryAfterMs,
      limits: record.limits,
      quotaKind: failure.quotaKind,
      status: failure.upstreamStatus,
      message: failure.message,
    })
    return { kind: 'failed', failure, record }
  }
}

/**
 * Opens the call and peeks at its answer, both within the first-byte timeout; past the opening the
 * timeout no longer applies (the idle timeout of the adapter's stream does).
 */
async function openWithin(
  candidate: Candidate,
  request: ChatRequest,
  deps: CallDeps,
  holdForGate: boolean,
  call: {
    signal: AbortSignal
    abort: (reason: unknown) => void
    clientSignal: AbortSignal
    onLimits: (reading: AttemptRecord['limits']) => void
  },
) {
  const { firstByteMs } = deps.timeouts
  let isTimedOut = false
  // A plain timer: AbortSignal.timeout costs a signal and a weak reference per call on Node 20.
  const firstByte = setTimeout(() => {
    isTimedOut = true
    call.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))
  }, firstByteMs)
  try {
    const upstream = await deps.adapterFor(candidate).open(callFor(candidate, request, deps), call.signal)
    call.onLimits(upstream.limits)
    return await peekAnswer(upstream.chunks, deps.clock, holdForGate, candidate.provider.name)
  } catch (error) {
    if (isTimedOut && !call.clientSignal.aborted)
      throw new UpstreamError(`${candidate.provider.name} sent nothing within ${firstByteMs} ms`, {
        kind: 'timeout',
      })
    throw error
  } finally {
    clearTimeout(firstByte)
  }
}
