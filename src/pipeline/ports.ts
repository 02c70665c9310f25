// The pipeline's contract with what lives outside it. Every port is always present: a disabled feature
// is a null implementation (no search provider → a search that finds nothing), never a missing field,
// so no stage branches on `!== undefined`. Type-only, and imports nothing from the pipeline's stages.
//
// Shared state (capacity, health, learning, cached plans) is reached only through these ports, with a
// lease shape for anything that reserves: `admit` → `settle` or `release`. The in-memory state of one
// process implements them today; a store shared by several instances can sit behind the same seams.

import type { RequestFinished } from '../metrics/types.js'
import type { SearchResult } from '../search/types.js'
import type { Admission, AttemptTarget, StateSnapshot } from '../state/types.js'
import type { ChatCompletion, ChatRequest } from '../wire/openai/types.js'
import type { Part, RouteTask } from './analyze/types.js'
import type { Candidate } from './route/types.js'

export type { Admission, Lease } from '../state/types.js'

/** Who may be called now: rate limits, quotas, cooldowns and breakers of every provider × model × key. */
export interface CapacityGate {
  /** Every target's standing, read once per request for ranking. */
  snapshot(): Promise<StateSnapshot>
  /** Reserves capacity for one call, atomically with the check; refused with the reason otherwise. */
  admit(target: AttemptTarget, estimatedTokens: number): Promise<Admission>
}

/** What experience says of a provider's model on a task: the prior itself when nothing is known yet. */
export interface Learner {
  quality(task: RouteTask, provider: string, model: string, prior: number): number
}

/** Told about every finished request: metrics, the request log, usage counts and the learner's rewards. */
export interface OutcomeSink {
  requestFinished(event: RequestFinished): void
}

/** One complete answer from the first candidate that gives one; what the LLM planner calls models with. */
export interface ModelCaller {
  complete(
    request: ChatRequest,
    candidates: readonly Candidate[],
    signal: AbortSignal,
  ): Promise<ChatCompletion>
}

export interface SearchFindings {
  results: SearchResult[]
  /** The search provider that answered, or null when none did (or none is configured). */
  provider: string | null
  /** Why there are no results, for logs. */
  reason?: string | null
}

/** Web search for the enrich route; never throws for search trouble, it finds nothing instead. */
export interface Search {
  find(query: string, signal: AbortSignal): Promise<SearchFindings>
}

/** How the LLM planner split a prompt. */
export interface PlannedSplit {
  parts: Part[]
  dependsOn: number[][]
}

/** Splits the LLM planner already made, by prompt and mode. */
export interface PlanMemory {
  get(key: string): PlannedSplit | undefined
  set(key: string, split: PlannedSplit): void
}

/**
 * Where each conversation answered last (provider, model and key), by conversation key: read once when a
 * request is planned, written once its answer is committed. Entries expire when a conversation goes idle
 * and the map is bounded. Memory in one process today; a store shared by instances can implement it.
 */
export interface ConversationPins {
  get(conversationKey: string, nowMs: number): Promise<AttemptTarget | null>
  set(conversationKey: string, pin: AttemptTarget, nowMs: number): Promise<void>
}
