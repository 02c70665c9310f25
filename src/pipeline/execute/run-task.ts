import { UpstreamError } from '../../errors.js'
import { isClientGone, stoppedBy } from '../../lib/abort.js'
import type { Random } from '../../lib/random.js'
import { CompletionCollector } from '../../wire/collect.js'
import type { ChatChunk } from '../../wire/openai/types.js'
import type { AttemptRecord } from '../attempts.js'
import { estimatePromptTokens } from '../count-prompt-tokens.js'
import type { OutcomeSink } from '../ports.js'
import type { Candidate } from '../route/types.js'
import type { RequestOrigin, ResolvedTask, RoutePlan, StreamOutcome } from '../types.js'
import { buildFinishedEvent } from './build-finished-event.js'
import { observeChunks, type StreamSummary } from './observe-chunks.js'
import {
  type OpenDeps,
  type OpenedStream,
  type OpenRequest,
  openFirstAvailable,
} from './open-first-available.js'
import { checkAnswerQuality } from './quality-gate.js'
import { stampChunks } from './stamp-chunks.js'
import { usageOf } from './usage-of.js'

export interface ExecuteDeps extends OpenDeps {
  random: Random
  outcomes: OutcomeSink
  logPrompts: boolean
}

export interface TaskRun {
  task: ResolvedTask
  /** When the request arrived: the wall-time budget counts from there. */
  startedAtMs: number
  /** The client waits for the whole answer: all of it is checked before committing, so fallback stays invisible. */
  wholeAnswer: boolean
  /** Where to report the finished request; null for parts, synthesis and planner calls (reported by their caller). */
  report: { plan: RoutePlan; origin: RequestOrigin } | null
}

/** An answer read to its end and held, for a client that waits for all of it. */
interface HeldAnswer {
  opened: OpenedStream
  chunks: ChatChunk[]
  summary: StreamSummary
}

function openRequest(run: TaskRun, escalations: { left: number }): OpenRequest {
  // The prompt's estimated size plus a typical answer: agents ask for 32K output tokens and use a few
  // hundred, and the reservation is settled with the provider's real usage afterwards.
  const { request } = run.task
  const budget = request.max_completion_tokens ?? request.max_tokens ?? 1024
  return {
    request,
    check: run.task.check,
    estimatedTokens: estimatePromptTokens(request) + Math.min(budget, 1024),
    startedAtMs: run.startedAtMs,
    escalations,
    gateOpening: !run.wholeAnswer,
  }
}

function stampFor(deps: ExecuteDeps, candidate: Candidate) {
  return {
    id: `chatcmpl-${deps.random.token(24)}`,
    created: Math.floor(deps.clock.nowMs() / 1000),
    fallbackModel: candidate.model,
  }
}

/** Settles the call's lease with what it really consumed and completes its attempt record. */
function settleCall(run: TaskRun, opened: OpenedStream, summary: StreamSummary): void {
  const usage = usageOf(run.task.request, summary)
  opened.record.usage = usage
  // A client that walked away says nothing about the provider, whatever the aborted read threw.
  const kind =
    summary.outcome !== 'error'
      ? 'ok'
      : summary.error instanceof UpstreamError
        ? summary.error.kind
        : 'network'
  if (kind !== 'ok' && opened.record.outcome === 'ok') opened.record.outcome = kind
  // Providers that do not count prompt-cache hits against their limits (Groq, Anthropic) are not
  // charged them here either.
  const uncounted = opened.candidate.provider.cachedTokensCountTowardLimits ? 0 : usage.cachedTokens
  opened.lease.settle({
    outcome: kind,
    usageTokens: usage.tokensIn + usage.tokensOut - uncounted,
    limits: opened.record.limits,
  })
}

function report(
  run: TaskRun,
  deps: ExecuteDeps,
  delivered: { candidate: Candidate; summary: StreamSummary; passedGate: boolean } | null,
  attempts: readonly AttemptRecord[],
  upstreamStartMs: number,
): void {
  if (run.report === null) return
  deps.outcomes.requestFinished(
    buildFinishedEvent({
      requestId: run.report.origin.requestId ?? null,
      path: run.report.origin.path,
      request: run.task.request,
      plan: run.report.plan,
      candidate: delivered?.candidate ?? null,
      attempts,
      summary: delivered?.summary ?? null,
      receivedAtMs: run.report.origin.receivedAtMs,
      upstreamStartMs,
      nowMs: deps.clock.nowMs(),
      qualityPassed: delivered?.passedGate ?? true,
      logPrompts: deps.logPrompts,
    }),
  )
}

async function* replay(chunks: readonly ChatChunk[]): AsyncGenerator<ChatChunk> {
  yield* chunks
}

/**
 * One answer from the first candidate that opens well. A streaming client reads it as it comes; for a
 * client that waits for the whole answer it is read to its end first, so an answer that breaks halfway
 * or that the quality gate rejects once complete (empty, truncated, code asked and none given) is
 * replaced invisibly, at most `max_escalations` times for the gate; a rejected answer is the last resort.
 */
export async function runTask(run: TaskRun, deps: ExecuteDeps, signal: AbortSignal): Promise<StreamOutcome> {
  const attempts: AttemptRecord[] = []
  const upstreamStartMs = deps.clock.nowMs()
  const escalations = { left: deps.qualityGates.enabled ? deps.qualityGates.maxEscalations : 0 }
  const { candidates } = run.task
  let startIndex = 0
  let lastResort: HeldAnswer | null = null
  const deliver = (held: HeldAnswer, passedGate: boolean): StreamOutcome => {
    report(run, deps, { ...held.opened, summary: held.summary, passedGate }, attempts, upstreamStartMs)
    return { candidate: held.opened.candidate, attempts, chunks: replay(held.chunks), notes: {} }
  }
  while (true) {
    let opened: OpenedStream
    try {
      opened = await openFirstAvailable(
        candidates,
        startIndex,
        openRequest(run, escalations),
        deps,
        signal,
        attempts,
      )
    } catch (error) {
      if (lastResort !== null && !signal.aborted) return deliver(lastResort, false)
      report(run, deps, null, attempts, upstreamStartMs)
      throw error
    }
    const stamped = stampChunks(opened.head, opened.rest, stampFor(deps, opened.candidate))
    if (!run.wholeAnswer) {
      const chunks = observeChunks(
        stamped,
        () => deps.clock.nowMs(),
        () => isClientGone(signal),
        (summary) => {
          settleCall(run, opened, summary)
          report(run, deps, { ...opened, summary, passedGate: opened.passedGate }, attempts, upstreamStartMs)
        },
      )
      return { candidate: opened.candidate, attempts, chunks, notes: {} }
    }
    const held = await holdAnswer(opened, stamped, deps, signal)
    settleCall(run, opened, held.summary)
    if (signal.aborted) {
      report(
        run,
        deps,
        { ...opened, summary: held.summary, passedGate: opened.passedGate },
        attempts,
        upstreamStartMs,
      )
      throw stoppedBy(signal)
    }
    if (held.summary.outcome === 'error') {
      const error = held.summary.error
      if (!(error instanceof UpstreamError) || !error.retryable) {
        report(run, deps, null, attempts, upstreamStartMs)
        throw error
      }
      // Nothing has reached the client yet: the half-finished answer is dropped and the next one tried.
      opened.record.message = error.message
      startIndex = opened.candidateIndex + 1
      continue
    }
    const verdict = wholeAnswerVerdict(run, held, deps)
    if (verdict.ok) return deliver(held, opened.passedGate)
    opened.record.outcome = 'refused'
    opened.record.message = `quality gate: ${verdict.reason}`
    const isLast = opened.candidateIndex + 1 >= candidates.length
    if (isLast || escalations.left <= 0) return deliver(lastResort ?? held, false)
    escalations.left--
    lastResort ??= held
    startIndex = opened.candidateIndex + 1
  }
}

async function holdAnswer(
  opened: OpenedStream,
  stamped: AsyncIterable<ChatChunk>,
  deps: ExecuteDeps,
  signal: AbortSignal,
): Promise<HeldAnswer> {
  let summary: StreamSummary | null = null
  const chunks: ChatChunk[] = []
  const observed = observeChunks(
    stamped,
    () => deps.clock.nowMs(),
    () => isClientGone(signal),
    (done) => {
      summary = done
    },
  )
  try {
    for await (const chunk of observed) chunks.push(chunk)
  } catch {
    opened.abort() // the summary says what broke
  }
  return { opened, chunks, summary: summary! }
}

function wholeAnswerVerdict(run: TaskRun, held: HeldAnswer, deps: ExecuteDeps) {
  if (!deps.qualityGates.enabled || !held.opened.passedGate) return { ok: true } as const
  const collector = new CompletionCollector()
  for (const chunk of held.chunks) collector.push(chunk)
  const choice = collector.result().choices[0]
  return checkAnswerQuality({
    text: choice?.message.content ?? '',
    finishReason: choice?.finish_reason ?? null,
    expectsCode: run.task.check.expectsCode,
    hasToolCalls: (choice?.message.tool_calls?.length ?? 0) > 0,
  })
}
