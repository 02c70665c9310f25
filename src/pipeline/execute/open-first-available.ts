import {
  AllProvidersFailedError,
  type FailedAttempt,
  UpstreamError,
  type UpstreamFailureKind,
} from '../../errors.js'
import { ClientGoneError, linkedAbortController, withTimeout } from '../../lib/abort.js'
import type { Clock } from '../../lib/clock.js'
import type { ProviderAdapter, UpstreamCall } from '../../providers/types.js'
import type { AttemptHandle, ProviderState } from '../../state/provider-state.js'
import type { ChatChunk, ChatRequest } from '../../wire/openai/types.js'
import { liveModel } from '../route/live-model.js'
import type { Candidate } from '../route/types.js'
import { peekAnswer } from './peek-answer.js'
import { checkAnswerQuality } from './quality-gate.js'
import type { AttemptRecord } from './types.js'

export interface RetryBudget {
  maxAttempts: number
  maxWallMs: number
}

export interface OpenDeps {
  adapterFor(candidate: Candidate): ProviderAdapter
  clock: Clock
  timeouts: UpstreamCall['timeouts']
  state?: ProviderState
  budget: RetryBudget
  /** Hold the opening of each answer back for the quality gate (refusals, empty answers). */
  qualityGates: boolean
}

/** An upstream that has produced its opening: from here on the answer is committed to it. */
export interface OpenedStream {
  candidate: Candidate
  candidateIndex: number
  /** Chunks read while peeking, to be sent first. */
  head: ChatChunk[]
  /** The remaining chunks; iterating it to the end (or returning early) releases the upstream. */
  rest: AsyncIterator<ChatChunk>
  /** The state layer's slot for this call; finished by whoever reads the stream to its end. */
  handle: AttemptHandle | null
  abort: () => void
}

export interface OpenRequest {
  request: ChatRequest
  task: string
  estimatedTokens: number
  /** When the request arrived, for the wall-time budget. */
  startedAtMs: number
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

export function keyIndexOf(candidate: Candidate): number {
  return candidate.apiKey === null ? 0 : candidate.provider.apiKeys.indexOf(candidate.apiKey)
}

function skippedKind(state: string): UpstreamFailureKind {
  if (state === 'quota') return 'quota'
  if (state === 'disabled') return 'auth'
  if (state === 'open') return 'overloaded'
  return 'rate_limit'
}

/** The attempts that failed, as the error every candidate being exhausted turns into. */
export function exhausted(attempts: readonly AttemptRecord[]): AllProvidersFailedError {
  const failed: FailedAttempt[] = attempts
    .filter(
      (a): a is AttemptRecord & { outcome: Exclude<AttemptRecord['outcome'], 'ok'> } => a.outcome !== 'ok',
    )
    .map((a) => ({
      provider: a.provider,
      model: a.model,
      kind:
        a.outcome === 'refused'
          ? 'malformed'
          : a.outcome === 'skipped'
            ? (a.skippedAs ?? 'rate_limit')
            : a.outcome,
      status: a.status,
      message: a.message ?? '',
      retryAfterMs: a.retryAfterMs,
    }))
  return new AllProvidersFailedError(failed)
}

/**
 * Tries candidates in order until one produces an acceptable opening within the first-byte timeout.
 * Peeking (as TensorZero does) lets fallback cover connection errors, 429/5xx, stalls, malformed output
 * and refusals before the client sees a byte. The state layer is asked first (no call to a target that
 * is cooling down, open or out of quota) and told every outcome. A request the upstream rejects as
 * invalid (400/422 not about context length) is thrown at once: it would fail everywhere. An answer the
 * quality gate rejects is kept as the last resort.
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
  // larger windows are worth a call (issue 6: "context-length errors → next model with a larger window").
  let tooSmallWindow = 0
  // A model the provider just said it no longer serves is retried at once with the provider's next one.
  let standIn: Candidate | null = null
  const keepOrDrop = (opened: OpenedStream): void => {
    if (lastResort === null) lastResort = opened
    else opened.abort()
  }
  for (let index = startIndex; index < candidates.length; index++) {
    if (signal.aborted) throw new ClientGoneError()
    const callsMade = attempts.filter((a) => a.outcome !== 'skipped').length
    if (
      callsMade >= deps.budget.maxAttempts ||
      deps.clock.nowMs() - open.startedAtMs >= deps.budget.maxWallMs
    )
      break
    const candidate = standIn ?? candidates[index]!
    standIn = null
    const target = {
      provider: candidate.provider.name,
      model: candidate.model,
      keyIndex: keyIndexOf(candidate),
    }
    const startedMs = deps.clock.nowMs()
    const record = (
      outcome: AttemptRecord['outcome'],
      error: UpstreamError | null,
      limits: AttemptRecord['limits'],
      retryAfterMs = error?.retryAfterMs ?? null,
      message = error?.message ?? null,
    ) =>
      attempts.push({
        ...target,
        outcome,
        status: error?.upstreamStatus ?? null,
        message,
        retryAfterMs,
        latencyMs: deps.clock.nowMs() - startedMs,
        limits,
      })

    const window = candidate.provider.modelInfo.contextWindow
    if (window <= tooSmallWindow) {
      record(
        'skipped',
        null,
        null,
        null,
        `skipped: its ${window}-token window is no larger than one too small`,
      )
      attempts.at(-1)!.skippedAs = 'context_length'
      continue
    }
    const handle = deps.state?.beginAttempt(target, open.estimatedTokens) ?? null
    if (deps.state !== undefined && handle === null && deps.state.isRetired(target.provider, target.model)) {
      standIn = standInFor(candidate, deps.state)
      if (standIn !== null) {
        index--
        continue
      }
    }
    if (deps.state !== undefined && handle === null) {
      const availability = deps.state.availability(target)
      const untilMs =
        availability.untilMs === null ? null : Math.max(0, availability.untilMs - deps.clock.nowMs())
      record('skipped', null, null, untilMs, `skipped: ${availability.reason ?? 'no capacity left'}`)
      attempts.at(-1)!.skippedAs = skippedKind(availability.state)
      continue
    }
    const { controller, dispose } = linkedAbortController(signal)
    let limits: AttemptRecord['limits'] = null
    try {
      const peeked = await withTimeout(
        (async () => {
          const upstream = await deps
            .adapterFor(candidate)
            .open(callFor(candidate, open.request, deps), controller.signal)
          limits = upstream.limits
          return await peekAnswer(upstream.chunks, deps.clock, deps.qualityGates, candidate.provider.name)
        })(),
        deps.timeouts.firstByteMs,
        () =>
          new UpstreamError(
            `${candidate.provider.name} sent nothing within ${deps.timeouts.firstByteMs} ms`,
            { kind: 'timeout' },
          ),
      )
      const opened: OpenedStream = {
        candidate,
        candidateIndex: index,
        head: peeked.head,
        rest: peeked.rest,
        handle,
        abort: () => {
          controller.abort()
          dispose()
        },
      }
      const verdict = deps.qualityGates
        ? checkAnswerQuality({
            text: peeked.text,
            finishReason: peeked.finishReason,
            task: open.task,
            hasToolCalls: peeked.sawToolCall,
          })
        : { ok: true as const }
      // Until the answer has finished only a refusal is certain; empty or code-less needs the whole answer.
      const isRejected = !verdict.ok && (peeked.finishReason !== null || verdict.reason === 'refusal')
      if (isRejected) {
        record('refused', null, limits, null, `quality gate: ${verdict.reason}`)
        handle?.finish({ outcome: 'ok', limits })
        keepOrDrop(opened)
        continue
      }
      record('ok', null, limits)
      if (lastResort !== null) (lastResort as OpenedStream).abort()
      return opened
    } catch (error) {
      controller.abort()
      dispose()
      if (signal.aborted) {
        handle?.release()
        throw new ClientGoneError()
      }
      // Whatever else an adapter throws (a translator meeting output it cannot read) is a malformed answer.
      const failure =
        error instanceof UpstreamError
          ? error
          : new UpstreamError(`${candidate.provider.name} answered something SmartSplit cannot read`, {
              kind: 'malformed',
              cause: error,
            })
      record(failure.kind, failure, limits)
      handle?.finish({
        outcome: failure.kind,
        retryAfterMs: failure.retryAfterMs,
        limits,
        quotaKind: failure.quotaKind,
        status: failure.upstreamStatus,
        message: failure.message,
      })
      if (failure.kind === 'context_length') tooSmallWindow = Math.max(tooSmallWindow, window)
      if (failure.kind === 'model_retired' && deps.state !== undefined) {
        standIn = standInFor(candidate, deps.state)
        if (standIn !== null) index--
      }
      if (!failure.retryable) {
        if (lastResort !== null) (lastResort as OpenedStream).abort()
        throw failure
      }
    }
  }
  if (lastResort !== null) return lastResort
  throw exhausted(withRateLimitedElsewhere(attempts, deps))
}

/** The same provider and key with its next model in service, or null when it has none left. */
function standInFor(candidate: Candidate, state: ProviderState): Candidate | null {
  const model = liveModel(candidate.provider, candidate.model, state.isRetired)
  if (model === null || model === candidate.model) return null
  return {
    ...candidate,
    model,
    reason: `${candidate.reason}; ${candidate.model} is retired, ${model} instead`,
  }
}

const isRateLimit = (a: AttemptRecord): boolean =>
  a.outcome === 'rate_limit' ||
  a.outcome === 'quota' ||
  (a.outcome === 'skipped' && (a.skippedAs === 'rate_limit' || a.skippedAs === 'quota'))

/**
 * The attempts, plus (for the error only) every target the plan left out because it is cooling down or
 * out of quota, when the attempts themselves were only rate limits. Without them the 429's Retry-After
 * was the earliest recovery among the providers tried, not the earliest of all: a provider excluded at
 * planning time for a 30 s cooldown was hidden behind a tried one's 50 s.
 */
function withRateLimitedElsewhere(attempts: AttemptRecord[], deps: OpenDeps): AttemptRecord[] {
  if (deps.state === undefined || attempts.length === 0 || !attempts.every(isRateLimit)) return attempts
  const nowMs = deps.clock.nowMs()
  const tried = new Set(attempts.map((a) => `${a.provider}\u0000${a.model}\u0000${a.keyIndex}`))
  const elsewhere: AttemptRecord[] = deps.state
    .snapshot()
    .targets.filter(({ target, availability }) => {
      const isTimedLimit = availability.state === 'cooldown' || availability.state === 'quota'
      const key = `${target.provider}\u0000${target.model}\u0000${target.keyIndex}`
      return isTimedLimit && availability.untilMs !== null && !tried.has(key)
    })
    .map(({ target, availability }) => ({
      ...target,
      outcome: 'skipped',
      skippedAs: availability.state === 'quota' ? 'quota' : 'rate_limit',
      status: null,
      message: `skipped: ${availability.reason ?? 'rate-limited'}`,
      retryAfterMs: Math.max(0, (availability.untilMs ?? nowMs) - nowMs),
      latencyMs: 0,
      limits: null,
    }))
  return [...attempts, ...elsewhere]
}
