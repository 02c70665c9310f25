import type { ChatRequest } from '../../wire/openai/types.js'
import { splitIntoParts } from '../analyze/split-parts.js'
import type { Complexity, TaskType } from '../analyze/types.js'
import { rankCandidates } from '../route/rank-candidates.js'
import { requiredCapabilities } from '../route/required-capabilities.js'
import type { RoutePlan, RunContext } from '../run.js'
import { lastUserText } from './last-user-text.js'

export interface PlanView {
  route: 'respond' | 'enrich'
  mode: string
  agentic: boolean
  tasks: { type: TaskType; complexity: Complexity; text: string; providers: string[] }[]
  reasons: string[]
}

const SUBTASK_CAP = { economy: 3, balanced: 5, quality: 8 } as const

/**
 * The dry run behind POST /v1/plan and `smartsplit plan`: what SmartSplit would do, without calling any
 * model. A multi-part prompt shows one task per part, each ranked for its own type.
 */
export function describePlan(request: ChatRequest, plan: RoutePlan, ctx: RunContext): PlanView {
  const { analysis } = plan
  const text = lastUserText(request)
  const parts = plan.pinned ? null : splitIntoParts(text, analysis)
  const required = requiredCapabilities(request, analysis.estimatedPromptTokens)
  const names = (candidates: RoutePlan['candidates']): string[] => [
    ...new Set(candidates.map((candidate) => `${candidate.provider.name}/${candidate.model}`)),
  ]
  const tasks =
    parts === null
      ? [{ type: analysis.task, complexity: analysis.complexity, text, providers: names(plan.candidates) }]
      : parts.slice(0, SUBTASK_CAP[plan.mode]).map((part) => ({
          type: part.task,
          complexity: part.complexity,
          text: part.text,
          providers: names(
            rankCandidates({
              analysis: { task: part.task, complexity: part.complexity, isBackgroundCall: false },
              mode: plan.mode,
              providers: ctx.providers,
              table: ctx.table,
              required,
              ...(ctx.availability === undefined ? {} : { availability: ctx.availability }),
              ...(ctx.learned === undefined ? {} : { learned: ctx.learned }),
            }).candidates,
          ),
        }))
  const reasons = [
    ...analysis.reasons,
    ...(plan.pinned ? [`pinned to ${request.model}`] : []),
    ...(parts !== null ? [`split into ${parts.length} parts of different types`] : []),
    ...plan.excluded.map((exclusion) => `excluded: ${exclusion.reason}`),
  ]
  return { route: plan.route, mode: plan.mode, agentic: analysis.isAgentic, tasks, reasons }
}
