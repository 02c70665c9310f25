import type { ChatRequest } from '../../wire/openai/types.js'
import type { Complexity, TaskType } from '../analyze/types.js'
import type { Candidate } from '../route/types.js'
import type { RoutePlan } from '../types.js'
import { lastUserText } from './last-user-text.js'

/** One step of a task's fallback chain and the quality prior it was ranked with. */
export interface CandidateView {
  provider: string
  model: string
  /** Null when the request pinned the model. */
  prior: number | null
  /** evidence: public benchmarks about `evidence_model`; pool: mean of the pool's members; routing: your row. */
  prior_from: 'evidence' | 'pool' | 'routing' | 'none' | 'pinned'
  evidence_model: string | null
  sources: string[]
  as_of: string | null
  /** The freshest evidence behind the prior is older than 180 days. */
  stale: boolean
}

export interface PlanView {
  route: 'respond' | 'enrich'
  mode: string
  agentic: boolean
  tasks: {
    type: TaskType
    complexity: Complexity
    text: string
    providers: string[]
    candidates: CandidateView[]
    depends_on?: number[]
  }[]
  reasons: string[]
}

/**
 * The dry run behind POST /v1/plan and `smartsplit plan`: what SmartSplit would do, without calling any
 * model. A multi-part prompt shows one task per part, each ranked for its own type.
 */
function candidateViews(candidates: readonly Candidate[]): CandidateView[] {
  const seen = new Map<string, CandidateView>()
  for (const { provider, model, prior } of candidates) {
    const key = `${provider.name}/${model}`
    if (seen.has(key)) continue
    seen.set(key, {
      provider: provider.name,
      model,
      prior: prior?.value ?? null,
      prior_from: prior?.origin ?? 'pinned',
      evidence_model: prior?.model ?? null,
      sources: prior?.sources ?? [],
      as_of: prior?.as_of ?? null,
      stale: prior?.isStale ?? false,
    })
  }
  return [...seen.values()]
}

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
            candidates: candidateViews(plan.candidates),
          },
        ]
      : plan.parts.map((part) => ({
          type: part.task,
          complexity: part.complexity,
          text: part.text,
          providers: names(part.candidates),
          candidates: candidateViews(part.candidates),
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
    ...staleNote(tasks.flatMap((task) => task.candidates)),
  ]
  return { route: plan.route, mode: plan.mode, agentic: analysis.isAgentic, tasks, reasons }
}

function staleNote(candidates: readonly CandidateView[]): string[] {
  const stale = [
    ...new Set(candidates.filter((c) => c.stale).map((c) => `${c.provider}/${c.model} (${c.as_of})`)),
  ]
  return stale.length === 0
    ? []
    : [`quality priors older than 180 days (refresh with npm run build:priors): ${stale.join(', ')}`]
}
