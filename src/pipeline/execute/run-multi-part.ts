import { completionToChunks } from '../../wire/collect.js'
import type { ChatChunk, ChatRequest, Usage } from '../../wire/openai/types.js'
import { buildFinishedEvent } from '../build-finished-event.js'
import { enrichRequest } from '../enrich/enrich-request.js'
import type { Candidate } from '../route/types.js'
import { buildPartRequest } from '../synthesize/build-part-request.js'
import {
  buildSynthesisRequest,
  concatenateAnswers,
  type PartAnswer,
} from '../synthesize/build-synthesis-request.js'
import type {
  OutcomeNotes,
  PlannedPart,
  RequestOrigin,
  RoutePlan,
  RunContext,
  StreamOutcome,
} from '../types.js'
import { observeChunks } from './observe-chunks.js'
import { runSingleCollected, runSingleStreaming } from './run-single.js'
import type { AttemptRecord } from './types.js'

function addUsage(total: Usage, usage: Usage | undefined): void {
  if (usage === undefined) return
  total.prompt_tokens += usage.prompt_tokens
  total.completion_tokens += usage.completion_tokens
  total.total_tokens += usage.total_tokens
}

/**
 * Runs the parts of a multi-part prompt — independent ones in parallel, dependent ones once their inputs
 * are in — each on its own best model, then streams one synthesized answer. Exactly one extra call (the
 * synthesis); if it fails, the answers are concatenated under headings instead. Usage sums every call.
 */
export async function runMultiPart(
  request: ChatRequest,
  plan: RoutePlan & { parts: PlannedPart[] },
  synthesisCandidates: readonly Candidate[],
  ctx: RunContext,
  signal: AbortSignal,
  origin: RequestOrigin,
): Promise<StreamOutcome> {
  const upstreamStartMs = ctx.clock.nowMs()
  const attempts: AttemptRecord[] = []
  const usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }
  const results = new Map<number, Promise<PartAnswer>>()
  const notes: OutcomeNotes = {}
  const answerPart = async (part: PlannedPart): Promise<PartAnswer> => {
    const inputs = await Promise.all(part.dependsOn.map((index) => results.get(index)!))
    try {
      const partRequest = buildPartRequest(request, part, plan.parts, inputs)
      // A part that needs fresh facts searches for them first, like a whole enrich request.
      const enriched =
        part.task === 'web_search' ? await enrichRequest(partRequest, part.text, ctx.search, signal) : null
      if (enriched !== null) notes.enrich = enriched.outcome
      const outcome = await runSingleCollected(
        {
          request: enriched?.request ?? partRequest,
          plan,
          candidates: part.candidates,
          task: part.task,
          origin,
          reportToMetrics: false,
        },
        ctx,
        signal,
      )
      attempts.push(...outcome.attempts)
      addUsage(usage, outcome.completion.usage)
      const answer = outcome.completion.choices[0]?.message.content ?? ''
      return { part, answer, answeredBy: `${outcome.candidate.provider.name}/${outcome.candidate.model}` }
    } catch (error) {
      if (signal.aborted) throw error
      return {
        part,
        answer: `(This part could not be answered: ${(error as Error).message})`,
        answeredBy: null,
      }
    }
  }
  // Parts only depend on earlier ones, so creating the promises in order wires every dependency.
  for (const part of plan.parts) results.set(part.index, answerPart(part))
  const answers = await Promise.all(plan.parts.map((part) => results.get(part.index)!))
  notes.subtasks = answers.map((a) => `${a.part.task}:${a.answeredBy ?? 'failed'}`).join(', ')

  const report = (summary: Parameters<Parameters<typeof observeChunks>[3]>[0], candidate: Candidate | null) =>
    ctx.onFinished?.({
      ...buildFinishedEvent({
        requestId: origin.requestId ?? null,
        path: origin.path,
        request,
        plan,
        candidate,
        attempts,
        summary: { ...summary, usage: summary.usage ?? usage },
        receivedAtMs: origin.receivedAtMs,
        upstreamStartMs,
        nowMs: ctx.clock.nowMs(),
        qualityPassed: true,
        logPrompts: ctx.logPrompts === true,
      }),
      tasks: plan.parts.map((part) => part.task),
    })

  let synthesis: StreamOutcome | null = null
  try {
    synthesis = await runSingleStreaming(
      {
        request: buildSynthesisRequest(request, answers),
        plan,
        candidates: synthesisCandidates,
        task: 'general',
        origin,
        reportToMetrics: false,
      },
      ctx,
      signal,
    )
    attempts.push(...synthesis.attempts)
    notes.synthesis = 'model'
  } catch (error) {
    if (signal.aborted) throw error
    notes.synthesis = 'concatenated'
  }
  const answering = synthesis?.candidate ?? plan.parts[0]!.candidates[0]!
  const source = synthesis === null ? concatenatedChunks(answers, ctx, answering) : synthesis.chunks
  const chunks = observeChunks(
    withSummedUsage(source, usage),
    () => ctx.clock.nowMs(),
    () => signal.aborted,
    (summary) => report(summary, answering),
  )
  return { candidate: answering, attempts, chunks, notes }
}

/** Adds the parts' usage to the synthesis' usage chunk (or appends one), so usage covers every call. */
async function* withSummedUsage(chunks: AsyncGenerator<ChatChunk>, parts: Usage): AsyncGenerator<ChatChunk> {
  let last: ChatChunk | null = null
  let sawUsage = false
  for await (const chunk of chunks) {
    last = chunk
    if (chunk.usage) {
      sawUsage = true
      const total: Usage = { ...parts }
      addUsage(total, chunk.usage)
      yield { ...chunk, usage: total }
    } else {
      yield chunk
    }
  }
  if (!sawUsage && last !== null) yield { ...last, choices: [], usage: parts }
}

async function* concatenatedChunks(
  answers: readonly PartAnswer[],
  ctx: RunContext,
  candidate: Candidate,
): AsyncGenerator<ChatChunk> {
  yield* completionToChunks({
    id: `chatcmpl-${ctx.random.token(24)}`,
    object: 'chat.completion',
    created: Math.floor(ctx.clock.nowMs() / 1000),
    model: candidate.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: concatenateAnswers(answers), refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
  })
}
