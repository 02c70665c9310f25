import { canSplit } from '../analyze/split-parts.js'
import { runSingleCollected } from '../execute/run-single.js'
import type { PlannedPart, RequestOrigin, RoutePlan, RunContext } from '../types.js'
import { buildPlannerRequest, PlanCache, type PlannedSplit, parsePlannerAnswer } from './llm-planner.js'
import { SUBTASK_CAP } from './plan-parts.js'

/** Whether this request is worth one planner call under the configured policy. */
function wantsPlanner(plan: RoutePlan, ctx: RunContext): boolean {
  if (plan.pinned || ctx.planner === undefined || ctx.planner === 'local') return false
  if (!canSplit(plan.analysis) || plan.plannerCandidates.length === 0) return false
  // auto: only where the local splitter already sees parts, so a single-task request costs one call.
  return ctx.planner === 'llm' || plan.parts !== null
}

async function askPlanner(
  plan: RoutePlan,
  request: Parameters<typeof buildPlannerRequest>[0],
  ctx: RunContext,
  signal: AbortSignal,
  origin: RequestOrigin,
): Promise<PlannedSplit | null> {
  const cap = SUBTASK_CAP[plan.mode]
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const outcome = await runSingleCollected(
        {
          request: buildPlannerRequest(request, plan.plannerCandidates[0]!.model),
          plan,
          candidates: plan.plannerCandidates,
          task: 'boilerplate',
          origin,
          reportToMetrics: false,
        },
        ctx,
        signal,
      )
      const parsed = parsePlannerAnswer(outcome.completion.choices[0]?.message.content ?? '', cap)
      if (parsed !== null) return parsed
    } catch (error) {
      if (signal.aborted) throw error
      return null
    }
  }
  return null
}

/**
 * Lets the LLM planner refine the local split (planner "llm" or "auto"), from the cache when it can.
 * Garbage from the planner, twice, leaves the local split in place.
 */
export async function refineParts(
  request: Parameters<typeof buildPlannerRequest>[0],
  plan: RoutePlan,
  ctx: RunContext,
  signal: AbortSignal,
  origin: RequestOrigin,
): Promise<RoutePlan> {
  if (!wantsPlanner(plan, ctx) || ctx.planCache === undefined) return plan
  const key = PlanCache.keyOf(request, plan.mode)
  let split = ctx.planCache.get(key) ?? null
  if (split === null) {
    split = await askPlanner(plan, request, ctx, signal, origin)
    if (split === null) return plan
    ctx.planCache.set(key, split)
  }
  if (split.parts.length < 2) return { ...plan, parts: null }
  const parts: PlannedPart[] = split.parts.map((part, index) => ({
    ...part,
    index,
    candidates: plan.rankPart(part.task, part.complexity),
    dependsOn: split.dependsOn[index] ?? [],
  }))
  if (parts.some((part) => part.candidates.length === 0) || plan.synthesisCandidates.length === 0) return plan
  return { ...plan, parts }
}
