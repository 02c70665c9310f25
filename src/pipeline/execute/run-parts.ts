import { isClientGone } from '../../lib/abort.js'
import { completionToChunks } from '../../wire/collect.js'
import type { ChatChunk, Usage } from '../../wire/openai/types.js'
import type { AttemptRecord } from '../attempts.js'
import type { Candidate } from '../route/types.js'
import { buildPartRequest } from '../synthesize/build-part-request.js'
import {
  buildSynthesisRequest,
  concatenateAnswers,
  type PartAnswer,
} from '../synthesize/build-synthesis-request.js'
import type { RequestOrigin, ResolvedPart, ResolvedPlan, StreamOutcome } from '../types.js'
import { buildFinishedEvent } from './build-finished-event.js'
import { completeTask } from './complete-task.js'
import { observeChunks } from './observe-chunks.js'
import { type ExecuteDeps, runTask } from './run-task.js'

type SplitPlan = Extract<ResolvedPlan, { kind: 'parts' }>

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
export async function runParts(
  resolved: SplitPlan,
  run: { origin: RequestOrigin; wholeAnswer: boolean },
  deps: ExecuteDeps,
  signal: AbortSignal,
): Promise<StreamOutcome> {
  const { plan, original, notes } = resolved
  const upstreamStartMs = deps.clock.nowMs()
  const attempts: AttemptRecord[] = []
  const usage: Usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }
  const results = new Map<number, Promise<PartAnswer>>()
  const answerPart = async (part: ResolvedPart): Promise<PartAnswer> => {
    const inputs = await Promise.all(part.dependsOn.map((index) => results.get(index)!))
    try {
      let request = buildPartRequest(original, part, plan.parts, inputs)
      if (part.findings !== null) {
        const enrichment = await part.findings
        notes.enrich = enrichment.outcome
        request = enrichment.apply(request)
      }
      const task = { request, candidates: part.candidates, check: part.check }
      const done = await completeTask(task, run.origin.receivedAtMs, deps, signal)
      attempts.push(...done.attempts)
      addUsage(usage, done.completion.usage)
      const answer = done.completion.choices[0]?.message.content ?? ''
      return { part, answer, answeredBy: `${done.candidate.provider.name}/${done.candidate.model}` }
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
  for (const part of resolved.parts) results.set(part.index, answerPart(part))
  const answers = await Promise.all(resolved.parts.map((part) => results.get(part.index)!))
  notes.subtasks = answers.map((a) => `${a.part.task}:${a.answeredBy ?? 'failed'}`).join(', ')

  let synthesis: StreamOutcome | null = null
  try {
    const task = {
      request: buildSynthesisRequest(original, answers),
      candidates: resolved.synthesisCandidates,
      check: { expectsCode: false },
    }
    synthesis = await runTask(
      { task, startedAtMs: run.origin.receivedAtMs, wholeAnswer: run.wholeAnswer, report: null },
      deps,
      signal,
    )
    attempts.push(...synthesis.attempts)
    notes.synthesis = 'model'
  } catch (error) {
    if (signal.aborted) throw error
    notes.synthesis = 'concatenated'
  }
  const answering = synthesis?.candidate ?? plan.parts[0]!.candidates[0]!
  const source = synthesis === null ? concatenatedChunks(answers, deps, answering) : synthesis.chunks
  const chunks = observeChunks(
    withSummedUsage(source, usage),
    () => deps.clock.nowMs(),
    () => isClientGone(signal),
    (summary) =>
      deps.outcomes.requestFinished(
        buildFinishedEvent({
          requestId: run.origin.requestId ?? null,
          path: run.origin.path,
          request: original,
          plan,
          tasks: plan.parts.map((part) => part.task),
          candidate: answering,
          attempts,
          summary,
          receivedAtMs: run.origin.receivedAtMs,
          upstreamStartMs,
          nowMs: deps.clock.nowMs(),
          qualityPassed: true,
          logPrompts: deps.logPrompts,
        }),
      ),
  )
  return { candidate: answering, attempts, chunks, notes }
}

/** Adds the parts' usage to the synthesis' usage chunk (or appends one), so usage covers every call. */
async function* withSummedUsage(chunks: AsyncIterable<ChatChunk>, parts: Usage): AsyncGenerator<ChatChunk> {
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
  deps: ExecuteDeps,
  candidate: Candidate,
): AsyncGenerator<ChatChunk> {
  yield* completionToChunks({
    id: `chatcmpl-${deps.random.token(24)}`,
    object: 'chat.completion',
    created: Math.floor(deps.clock.nowMs() / 1000),
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
