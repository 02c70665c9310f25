import type { Mode } from '../config/schema.js'
import type { ProviderConfig } from '../config/types.js'
import type { Clock } from '../lib/clock.js'
import type { Random } from '../lib/random.js'
import type { RequestFinished } from '../metrics/types.js'
import type { ProviderState } from '../state/provider-state.js'
import type { ChatChunk, ChatCompletion } from '../wire/openai/types.js'
import type { Analysis, Part } from './analyze/types.js'
import type { SearchDeps } from './enrich/enrich-request.js'
import type { OpenDeps } from './execute/open-first-available.js'
import type { AttemptRecord } from './execute/types.js'
import type { PlanCache } from './plan/llm-planner.js'
import type { Exclusion, LearnedLookup } from './route/rank-candidates.js'
import type { RoutingTable } from './route/routing-table.js'
import type { Candidate } from './route/types.js'

/** Everything the pipeline needs, built once by app.ts. */
export interface RunContext {
  providers: readonly ProviderConfig[]
  mode: Mode
  table: RoutingTable
  open: OpenDeps
  clock: Clock
  random: Random
  state?: ProviderState
  learned?: LearnedLookup
  /** Told about every finished request (metrics, store, learning). */
  onFinished?: (event: RequestFinished) => void
  logPrompts?: boolean
  /** Web search for the enrich route; undefined when the app has none wired. */
  search?: SearchDeps
  planner?: 'local' | 'llm' | 'auto'
  planCache?: PlanCache
}

/** Where a request came in and when: for overhead, latency and the request log. */
export interface RequestOrigin {
  path: string
  receivedAtMs: number
  /** The HTTP layer's id for the request (x-request-id), carried into the finished-request event. */
  requestId?: string
}

/** One part of a multi-part prompt, with its own fallback chain. */
export interface PlannedPart extends Part {
  index: number
  candidates: Candidate[]
  /** Indexes of earlier parts whose answers this part needs. */
  dependsOn: number[]
}

export interface RoutePlan {
  mode: Mode
  analysis: Analysis
  /** `enrich` when the answer needs fresh facts from a web search first. */
  route: 'respond' | 'enrich'
  pinned: boolean
  candidates: Candidate[]
  excluded: Exclusion[]
  /** Two or more parts of different kinds of work, or null for a single task. */
  parts: PlannedPart[] | null
  /** Who writes the one combined answer of a multi-part request (a strong general model). */
  synthesisCandidates: Candidate[]
  /** Who the LLM planner asks (a fast cheap model); empty when planning cannot happen. */
  plannerCandidates: Candidate[]
  /** Ranks candidates for a part of another task, as the plan ranked its own. */
  rankPart: (task: Part['task'], complexity: Part['complexity']) => Candidate[]
}

/** Extra x-smartsplit-* facts beyond the plan and the answering candidate. */
export interface OutcomeNotes {
  subtasks?: string
  synthesis?: 'model' | 'concatenated'
  enrich?: 'searched' | 'skipped'
}

export interface StreamOutcome {
  candidate: Candidate
  attempts: AttemptRecord[]
  chunks: AsyncGenerator<ChatChunk>
  notes: OutcomeNotes
}

export interface CollectedOutcome {
  candidate: Candidate
  attempts: AttemptRecord[]
  completion: ChatCompletion
  notes: OutcomeNotes
}
