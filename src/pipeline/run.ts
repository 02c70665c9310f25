// The journey of one chat request:
//
//   request ─► analyze (task, complexity, needs web, agentic, parts; local, no I/O)
//           ─► plan route: rank candidates (routing table × mode × tier × capabilities × availability × learned)
//                │
//                ├─ one task ──► open first available: ask the state layer, call, peek the opening
//                │               (fallback on connect error, timeout, 429, 5xx, malformed, refusal —
//                │               invisible to the client), then stream or collect
//                │
//                ├─ enrich ────► web search first, results fenced as untrusted data, then as one task
//                └─ parts ─────► (the LLM planner may refine the local split, cached) each part on its own best model (parallel unless dependent)
//                                ─► one synthesis call streamed (or a clean concatenation)
//           ─► stamp chunks (one id, one created, the answering model) ─► http/ streams or collects them
//           ─► on finish: state layer, metrics, store and learner are told what happened

import { CompletionCollector } from '../wire/collect.js'
import type { ChatRequest } from '../wire/openai/types.js'
import { enrichRequest } from './enrich/enrich-request.js'
import { runMultiPart } from './execute/run-multi-part.js'
import { runSingleCollected, runSingleStreaming } from './execute/run-single.js'
import { lastUserText } from './plan/last-user-text.js'
import { refineParts } from './plan/refine-parts.js'
import type { CollectedOutcome, RequestOrigin, RoutePlan, RunContext, StreamOutcome } from './types.js'

export { planRoute } from './plan/plan-route.js'
export type { CollectedOutcome, RequestOrigin, RoutePlan, RunContext, StreamOutcome } from './types.js'

export async function runStreaming(
  request: ChatRequest,
  initialPlan: RoutePlan,
  ctx: RunContext,
  signal: AbortSignal,
  origin: RequestOrigin = { path: '/v1/chat/completions', receivedAtMs: ctx.clock.nowMs() },
): Promise<StreamOutcome> {
  const plan = await refineParts(request, initialPlan, ctx, signal, origin)
  if (plan.parts !== null) {
    return runMultiPart(
      request,
      { ...plan, parts: plan.parts },
      plan.synthesisCandidates,
      ctx,
      signal,
      origin,
    )
  }
  return runSingleStreaming(
    { request, plan, candidates: plan.candidates, task: gateTask(plan), origin, reportToMetrics: true },
    ctx,
    signal,
  )
}

/** Agents answer with prose and tool calls: the "code task without code" gate is for people, not agents. */
function gateTask(plan: RoutePlan): string {
  return plan.analysis.isAgentic ? 'agentic' : plan.analysis.task
}

export async function runCollected(
  request: ChatRequest,
  initialPlan: RoutePlan,
  ctx: RunContext,
  signal: AbortSignal,
  origin: RequestOrigin = { path: '/v1/chat/completions', receivedAtMs: ctx.clock.nowMs() },
): Promise<CollectedOutcome> {
  const plan = await refineParts(request, initialPlan, ctx, signal, origin)
  if (plan.parts !== null) {
    const outcome = await runMultiPart(
      request,
      { ...plan, parts: plan.parts },
      plan.synthesisCandidates,
      ctx,
      signal,
      origin,
    )
    const collector = new CompletionCollector()
    for await (const chunk of outcome.chunks) collector.push(chunk)
    return {
      candidate: outcome.candidate,
      attempts: outcome.attempts,
      completion: collector.result(),
      notes: outcome.notes,
    }
  }
  const enriched =
    plan.route === 'enrich' ? await enrichRequest(request, lastUserText(request), ctx.search, signal) : null
  const outcome = await runSingleCollected(
    {
      request: enriched?.request ?? request,
      plan,
      candidates: plan.candidates,
      task: gateTask(plan),
      origin,
      reportToMetrics: true,
    },
    ctx,
    signal,
  )
  if (enriched !== null) outcome.notes.enrich = enriched.outcome
  return outcome
}
