import type { Clock } from '../../lib/clock.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { asksForCode } from '../analyze/asks-for-code.js'
import type { Part } from '../analyze/types.js'
import { lastUserText } from '../plan/last-user-text.js'
import type { Search } from '../ports.js'
import type { AnswerCheck, PlannedPart, ResolvedPlan, RoutePlan } from '../types.js'
import { enrich } from './enrich.js'
import { type PlannerDeps, refineParts } from './refine-parts.js'

export interface PrepareDeps extends PlannerDeps {
  search: Search
  clock: Clock
}

/** Agents answer with prose and tool calls: "code asked, none given" is a check for people, not agents. */
function checkFor(plan: RoutePlan, task: Part['task'], text: string): AnswerCheck {
  return { expectsCode: !plan.analysis.isAgentic && task === 'code' && asksForCode(text) }
}

/**
 * Everything decided before the first answer, the same for streamed and collected requests: the LLM
 * planner's refinement of the split, and the web search of an enrich request (or of each web_search
 * part, started now and awaited by that part only, so the other parts need not wait for it).
 */
export async function prepare(
  request: ChatRequest,
  initialPlan: RoutePlan,
  deps: PrepareDeps,
  signal: AbortSignal,
): Promise<ResolvedPlan> {
  const plan = await refineParts(request, initialPlan, deps, signal)
  if (plan.parts !== null) {
    const parts = plan.parts.map((part) => ({
      ...part,
      check: checkFor(plan, part.task, part.text),
      findings: part.task === 'web_search' ? searchFor(part, deps, signal) : null,
    }))
    return {
      kind: 'parts',
      plan: { ...plan, parts: plan.parts },
      original: request,
      parts,
      synthesisCandidates: plan.synthesisCandidates,
      notes: {},
    }
  }
  const question = lastUserText(request)
  const task = { request, candidates: plan.candidates, check: checkFor(plan, plan.analysis.task, question) }
  if (plan.route !== 'enrich') return { kind: 'task', plan, original: request, task, notes: {} }
  const enrichment = await enrich(question, deps.search, deps.clock.nowMs(), signal)
  return {
    kind: 'task',
    plan,
    original: request,
    task: { ...task, request: enrichment.apply(request) },
    notes: { enrich: enrichment.outcome },
  }
}

function searchFor(part: PlannedPart, deps: PrepareDeps, signal: AbortSignal) {
  const findings = enrich(part.text, deps.search, deps.clock.nowMs(), signal)
  findings.catch(() => {}) // awaited by the part; a client gone before then must not crash the process
  return findings
}
