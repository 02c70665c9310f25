import type { ChatRequest } from '../../wire/openai/types.js'
import type { Complexity, TaskType } from '../analyze/types.js'
import type { RoutePlan } from '../types.js'
import { lastUserText } from './last-user-text.js'

export interface PlanView {
  route: 'respond' | 'enrich'
  mode: string
  agentic: boolean
  tasks: {
    type: TaskType
    complexity: Complexity
    text: string
    providers: string[]
    depends_on?: number[]
  }[]
  reasons: string[]
}

/**
 * The dry run behind POST /v1/plan and `smartsplit plan`: what SmartSplit would do, without calling any
 * model. A multi-part prompt shows one task per part, each ranked for its own type.
 */
export function describePlan(request: ChatRequest, plan: RoutePlan): PlanView {
  const { analysis } = plan
  const names = (candidates: RoutePlan['candidates']): string[] => [
    ...new Set(candidates.map((candidate) => `${candidate.provider.name}/${candidate.model}`)),
  ]
  const tasks =
    plan.parts === null
      ? [
          {
            type: analysis.task,
            complexity: analysis.complexity,
            text: lastUserText(request),
            providers: names(plan.candidates),
          },
        ]
      : plan.parts.map((part) => ({
          type: part.task,
          complexity: part.complexity,
          text: part.text,
          providers: names(part.candidates),
          ...(part.dependsOn.length > 0 ? { depends_on: part.dependsOn } : {}),
        }))
  const reasons = [
    ...analysis.reasons,
    ...(plan.pinned ? [`pinned to ${request.model}`] : []),
    ...(plan.parts !== null
      ? [
          `split into ${plan.parts.length} parts of different types, synthesized by ${names(plan.synthesisCandidates)[0] ?? 'none'}`,
        ]
      : []),
    ...plan.excluded.map((exclusion) => `excluded: ${exclusion.reason}`),
  ]
  return { route: plan.route, mode: plan.mode, agentic: analysis.isAgentic, tasks, reasons }
}
