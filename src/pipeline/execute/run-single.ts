import { UpstreamError } from '../../errors.js'
import { ClientGoneError } from '../../lib/abort.js'
import { CompletionCollector } from '../../wire/collect.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { buildFinishedEvent } from '../build-finished-event.js'
import { estimatePromptTokens } from '../count-prompt-tokens.js'
import type { Candidate } from '../route/types.js'
import type { CollectedOutcome, RequestOrigin, RoutePlan, RunContext, StreamOutcome } from '../types.js'
import { observeChunks, type StreamSummary } from './observe-chunks.js'
import { type OpenedStream, type OpenRequest, openFirstAvailable } from './open-first-available.js'
import { checkAnswerQuality } from './quality-gate.js'
import { stampChunks } from './stamp-chunks.js'
import type { AttemptRecord } from './types.js'

export interface SingleRun {
  request: ChatRequest
  plan: RoutePlan
  candidates: readonly Candidate[]
  task: string
  origin: RequestOrigin
  /** Report the finished request to metrics and learning (false for parts of a multi-part request). */
  reportToMetrics: boolean
}

function newStamp(ctx: RunContext, candidate: Candidate) {
  return {
    id: `chatcmpl-${ctx.random.token(24)}`,
    created: Math.floor(ctx.clock.nowMs() / 1000),
    fallbackModel: candidate.model,
  }
}

function openRequest(run: SingleRun): OpenRequest {
  // The prompt's estimated size plus a typical answer: agents ask for 32K output tokens and use a few
  // hundred, and the reservation is settled with the provider's real usage afterwards.
  const budget = run.request.max_completion_tokens ?? run.request.max_tokens ?? 1024
  return {
    request: run.request,
    task: run.task,
    estimatedTokens: estimatePromptTokens(run.request) + Math.min(budget, 1024),
    startedAtMs: run.origin.receivedAtMs,
  }
}

/** Settles the state layer's slot with real usage, and tells metrics and learning. */
function finish(
  ctx: RunContext,
  run: SingleRun,
  opened: OpenedStream | null,
  attempts: AttemptRecord[],
  summary: StreamSummary | null,
  upstreamStartMs: number,
  qualityPassed = true,
): void {
  if (opened?.handle && summary !== null) {
    // A client that walked away says nothing about the provider, whatever the aborted read threw.
    const kind =
      summary.outcome !== 'error'
        ? 'ok'
        : summary.error instanceof UpstreamError
          ? summary.error.kind
          : 'network'
    const usage = summary.usage
    opened.handle.finish({
      outcome: kind,
      usageTokens: usage === null ? null : usage.prompt_tokens + usage.completion_tokens,
    })
  }
  if (!run.reportToMetrics || ctx.onFinished === undefined) return
  ctx.onFinished(
    buildFinishedEvent({
      requestId: run.origin.requestId ?? null,
      path: run.origin.path,
      request: run.request,
      plan: run.plan,
      candidate: opened?.candidate ?? null,
      attempts,
      summary,
      receivedAtMs: run.origin.receivedAtMs,
      upstreamStartMs,
      nowMs: ctx.clock.nowMs(),
      qualityPassed,
      logPrompts: ctx.logPrompts === true,
    }),
  )
}

/** One answer streamed from the first candidate that opens well; the client reads it as it comes. */
export async function runSingleStreaming(
  run: SingleRun,
  ctx: RunContext,
  signal: AbortSignal,
): Promise<StreamOutcome> {
  const attempts: AttemptRecord[] = []
  const upstreamStartMs = ctx.clock.nowMs()
  let opened: OpenedStream
  try {
    opened = await openFirstAvailable(run.candidates, 0, openRequest(run), ctx.open, signal, attempts)
  } catch (error) {
    finish(ctx, run, null, attempts, null, upstreamStartMs)
    throw error
  }
  const chunks = observeChunks(
    stampChunks(opened.head, opened.rest, newStamp(ctx, opened.candidate)),
    () => ctx.clock.nowMs(),
    () => signal.aborted,
    (summary) => finish(ctx, run, opened, attempts, summary, upstreamStartMs),
  )
  return { candidate: opened.candidate, attempts, chunks, notes: {} }
}

/**
 * One answer collected whole. Nothing reaches the client until the end, so an answer that breaks
 * halfway, or that the quality gate rejects once complete (empty, truncated, a code task without
 * code), falls back invisibly; a rejected answer is kept as the last resort.
 */
export async function runSingleCollected(
  run: SingleRun,
  ctx: RunContext,
  signal: AbortSignal,
): Promise<CollectedOutcome> {
  const attempts: AttemptRecord[] = []
  const upstreamStartMs = ctx.clock.nowMs()
  let startIndex = 0
  let lastResort: CollectedOutcome | null = null
  while (true) {
    let opened: OpenedStream
    try {
      opened = await openFirstAvailable(
        run.candidates,
        startIndex,
        openRequest(run),
        ctx.open,
        signal,
        attempts,
      )
    } catch (error) {
      if (lastResort !== null && !(error instanceof ClientGoneError)) return lastResort
      finish(ctx, run, null, attempts, null, upstreamStartMs)
      throw error
    }
    const collector = new CompletionCollector()
    let summary: StreamSummary | null = null
    try {
      const chunks = observeChunks(
        stampChunks(opened.head, opened.rest, newStamp(ctx, opened.candidate)),
        () => ctx.clock.nowMs(),
        () => signal.aborted,
        (done) => {
          summary = done
        },
      )
      for await (const chunk of chunks) collector.push(chunk)
      const completion = collector.result()
      const choice = completion.choices[0]
      const verdict = ctx.open.qualityGates
        ? checkAnswerQuality({
            text: choice?.message.content ?? '',
            finishReason: choice?.finish_reason ?? null,
            task: run.task,
            hasToolCalls: (choice?.message.tool_calls?.length ?? 0) > 0,
          })
        : { ok: true as const }
      const outcome: CollectedOutcome = { candidate: opened.candidate, attempts, completion, notes: {} }
      const isLast = opened.candidateIndex + 1 >= run.candidates.length
      if (verdict.ok || isLast) {
        finish(ctx, run, opened, attempts, summary, upstreamStartMs, verdict.ok)
        return verdict.ok || lastResort === null ? outcome : lastResort
      }
      finish(ctx, { ...run, reportToMetrics: false }, opened, attempts, summary, upstreamStartMs, false)
      attempts.at(-1)!.outcome = 'refused'
      attempts.at(-1)!.message = `quality gate: ${verdict.reason}`
      lastResort ??= outcome
      startIndex = opened.candidateIndex + 1
    } catch (error) {
      opened.abort()
      if (signal.aborted) {
        opened.handle?.finish({ outcome: 'ok' })
        throw new ClientGoneError()
      }
      opened.handle?.finish({ outcome: error instanceof UpstreamError ? error.kind : 'network' })
      if (!(error instanceof UpstreamError) || !error.retryable) throw error
      // Nothing has reached the client yet: the half-finished answer is dropped and the next one tried.
      const last = attempts.at(-1)
      if (last !== undefined) {
        last.outcome = error.kind
        last.message = error.message
      }
      startIndex = opened.candidateIndex + 1
    }
  }
}
