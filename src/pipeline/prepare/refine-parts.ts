import { canSplit } from '../analyze/split-parts.js'
import { buildPlannerRequest, parsePlannerAnswer, planKeyOf } from '../plan/llm-planner.js'
import { SUBTASK_CAP } from '../plan/plan-parts.js'
import type { ModelCaller, PlanMemory, PlannedSplit } from '../ports.js'
import type { PipelineSettings, PlannedPart, RoutePlan } from '../types.js'

export interface PlannerDeps {
  planner: PipelineSettings['planner']
  plans: PlanMemory
  models: ModelCaller
}

/** Whether this request is worth one planner call under the configured policy. */
function wantsPlanner(plan: RoutePlan, planner: PipelineSettings['planner']): boolean {
  if (plan.pinned || planner === 'local') return false
  if (!canSplit(plan.analysis) || plan.plannerCandidates.length === 0) return false
  // auto: only where the local splitter already sees parts, so a single-task request costs no call.
  return planner === 'llm' || plan.parts !== null
}

async function askPlanner(
  plan: RoutePlan,
  request: Parameters<typeof buildPlannerRequest>[0],
  models: ModelCaller,
  signal: AbortSignal,
): Promise<PlannedSplit | null> {
  const cap = SUBTASK_CAP[plan.mode]
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const plannerRequest = buildPlannerRequest(request, plan.plannerCandidates[0]!.model)
      const completion = await models.complete(plannerRequest, plan.plannerCandidates, signal)
      const parsed = parsePlannerAnswer(completion.choices[0]?.message.content ?? '', cap)
      if (parsed !== null) return parsed
    } catch (error) {
      if (signal.aborted) throw error
      return null
    }
  }
  return null
}

/**
 * Lets the LLM planner refine the local split (planner "llm" or "auto"), from memory when it can.
 * Garbage from the planner, twice, leaves the local split in place.
 */
export async function refineParts(
  request: Parameters<typeof buildPlannerRequest>[0],
  plan: RoutePlan,
  deps: PlannerDeps,
  signal: AbortSignal,
): Promise<RoutePlan> {
  if (!wantsPlanner(plan, deps.planner)) return plan
  const key = planKeyOf(request, plan.mode)
  let split = deps.plans.get(key) ?? null
  if (split === null) {
    split = await askPlanner(plan, request, deps.models, signal)
    if (split === null) return plan
    deps.plans.set(key, split)
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
