import { AllProvidersFailedError, UpstreamError } from '../../errors.js'
import { ClientGoneError, linkedAbortController, withTimeout } from '../../lib/abort.js'
import type { Clock } from '../../lib/clock.js'
import type { ProviderAdapter, UpstreamCall } from '../../providers/types.js'
import type { ChatChunk, ChatRequest } from '../../wire/openai/types.js'
import type { Candidate } from '../route/types.js'
import type { AttemptRecord } from './types.js'

export interface OpenDeps {
  adapterFor(candidate: Candidate): ProviderAdapter
  clock: Clock
  timeouts: UpstreamCall['timeouts']
}

/** An upstream that has produced its first chunk: from here on the answer is committed to it. */
export interface OpenedStream {
  candidate: Candidate
  candidateIndex: number
  /** Chunks read while peeking: empty role chunks up to and including the first one with substance. */
  head: ChatChunk[]
  /** The remaining chunks; iterating it to the end (or returning early) releases the upstream. */
  rest: AsyncIterator<ChatChunk>
  abort: () => void
}

function callFor(candidate: Candidate, request: ChatRequest, deps: OpenDeps): UpstreamCall {
  const { provider } = candidate
  const nowMs = deps.clock.nowMs()
  const withDefaults: ChatRequest = { ...request }
  if (provider.temperature !== null && request.temperature == null)
    withDefaults.temperature = provider.temperature
  if (provider.maxTokens !== null && request.max_tokens == null && request.max_completion_tokens == null) {
    withDefaults.max_tokens = provider.maxTokens
  }
  return {
    provider: provider.name,
    baseUrl: provider.baseUrl,
    apiKey: candidate.apiKey,
    model: candidate.model,
    request: withDefaults,
    quirks: provider.quirks,
    extraHeaders: provider.extraHeaders,
    timeouts: deps.timeouts,
    nowMs,
    created: Math.floor(nowMs / 1000),
  }
}

/** A chunk that commits the answer: text, a tool call, a refusal or a finish. A bare role chunk does not. */
function hasSubstance(chunk: ChatChunk): boolean {
  return chunk.choices.some(
    (choice) =>
      choice.finish_reason !== null ||
      (typeof choice.delta.content === 'string' && choice.delta.content.length > 0) ||
      (choice.delta.tool_calls !== undefined && choice.delta.tool_calls.length > 0) ||
      (typeof choice.delta.refusal === 'string' && choice.delta.refusal.length > 0) ||
      Object.keys(choice.delta).some(
        (key) => key !== 'role' && key !== 'content' && choice.delta[key] != null,
      ),
  )
}

function keyIndexOf(candidate: Candidate): number {
  return candidate.apiKey === null ? 0 : candidate.provider.apiKeys.indexOf(candidate.apiKey)
}

/**
 * Tries candidates in order until one yields its first real chunk within the first-byte timeout. Peeking the
 * first chunk (as TensorZero does) lets fallback cover connection errors, 429/5xx and a stall or a
 * malformed answer before the first token: the client never sees those. A request the upstream rejects
 * as invalid (400/422 not about context length) is thrown at once: it would fail everywhere.
 */
export async function openFirstAvailable(
  candidates: readonly Candidate[],
  startIndex: number,
  request: ChatRequest,
  deps: OpenDeps,
  signal: AbortSignal,
  attempts: AttemptRecord[],
): Promise<OpenedStream> {
  for (let index = startIndex; index < candidates.length; index++) {
    if (signal.aborted) throw new ClientGoneError()
    const candidate = candidates[index]!
    const startedMs = deps.clock.nowMs()
    const { controller, dispose } = linkedAbortController(signal)
    const record = (
      outcome: AttemptRecord['outcome'],
      error: UpstreamError | null,
      limits: AttemptRecord['limits'],
    ) =>
      attempts.push({
        provider: candidate.provider.name,
        model: candidate.model,
        keyIndex: keyIndexOf(candidate),
        outcome,
        status: error?.upstreamStatus ?? null,
        message: error?.message ?? null,
        retryAfterMs: error?.retryAfterMs ?? null,
        latencyMs: deps.clock.nowMs() - startedMs,
        limits,
      })
    let limits: AttemptRecord['limits'] = null
    try {
      const first = await withTimeout(
        (async () => {
          const upstream = await deps
            .adapterFor(candidate)
            .open(callFor(candidate, request, deps), controller.signal)
          limits = upstream.limits
          const iterator = upstream.chunks[Symbol.asyncIterator]()
          const head: ChatChunk[] = []
          while (true) {
            const next = await iterator.next()
            if (next.done) {
              throw new UpstreamError(`${candidate.provider.name} ended the stream without an answer`, {
                kind: 'malformed',
              })
            }
            head.push(next.value)
            if (hasSubstance(next.value)) return { head, rest: iterator }
          }
        })(),
        deps.timeouts.firstByteMs,
        () =>
          new UpstreamError(
            `${candidate.provider.name} sent nothing within ${deps.timeouts.firstByteMs} ms`,
            { kind: 'timeout' },
          ),
      )
      record('ok', null, limits)
      return {
        candidate,
        candidateIndex: index,
        head: first.head,
        rest: first.rest,
        abort: () => {
          controller.abort()
          dispose()
        },
      }
    } catch (error) {
      controller.abort()
      dispose()
      if (signal.aborted) throw new ClientGoneError()
      if (!(error instanceof UpstreamError)) throw error
      record(error.kind, error, limits)
      if (!error.retryable) throw error
    }
  }
  throw new AllProvidersFailedError(
    attempts
      .filter((attempt) => attempt.outcome !== 'ok')
      .map((attempt) => ({
        provider: attempt.provider,
        model: attempt.model,
        kind: attempt.outcome as Exclude<AttemptRecord['outcome'], 'ok'>,
        status: attempt.status,
        message: attempt.message ?? '',
        retryAfterMs: attempt.retryAfterMs,
      })),
  )
}
