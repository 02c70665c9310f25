// The data the pipeline's stages hand each other. Type-only.

import type { Mode } from '../config/schema.js'
import type { ProviderConfig } from '../config/types.js'
import type { UpstreamCall } from '../providers/types.js'
import type { AttemptTarget } from '../state/types.js'
import type { ConversationRef, ConversationSource } from '../wire/conversation-ref.js'
import type { ChatChunk, ChatRequest } from '../wire/openai/types.js'
import type { Analysis, Complexity, Part, TaskType } from './analyze/types.js'
import type { AttemptRecord } from './attempts.js'
import type { Candidate, RoutingTable } from './route/types.js'

/** The configuration slice the pipeline reads, resolved once by app.ts. */
export interface PipelineSettings {
  providers: readonly ProviderConfig[]
  mode: Mode
  table: RoutingTable
  /**
   * The user wrote free_llm_priority: among candidates scored alike (one quality band) their order wins,
   * and in economy mode it is the order. Otherwise the order only breaks exact ties.
   */
  isPriorityStated: boolean
  /** How multi-part prompts are split: the local splitter, an LLM planner, or the LLM only where it pays. */
  planner: 'local' | 'llm' | 'auto'
  logPrompts: boolean
  qualityGates: QualityGateSettings
  budget: RetryBudget
  timeouts: UpstreamCall['timeouts']
  /** Each conversation stays on the provider, model and key that answered it while they can serve it. */
  affinity: boolean
  /** Autocomplete is latency first: its own, tighter wait for the first token. */
  autocomplete: { firstByteMs: number }
  /** The one model smartsplit-embed means (`provider/model`); null when no provider has embeddings. */
  embeddings: { defaultModel: string | null }
}

export interface QualityGateSettings {
  enabled: boolean
  /** How many times one answer may be replaced because the gate rejected it (each costs a call). */
  maxEscalations: number
}

export interface RetryBudget {
  maxAttempts: number
  maxWallMs: number
}

/** Why a conversation left the target it was pinned to. */
export type MoveReason =
  | 'rate_limited'
  | 'quota'
  | 'breaker_open'
  | 'disabled'
  | 'cannot_serve'
  | 'timeout'
  | 'failed'
  | 'rejected'
  | 'unavailable'

/** What affinity did for one answered request: the x-smartsplit-affinity header and /metrics. */
export type AffinityOutcome =
  | { decision: 'new' }
  | { decision: 'kept' }
  | { decision: 'moved'; reason: MoveReason }

/** A conversation's pin as planning found it. */
export interface PlannedAffinity {
  /** The pin store's key: the source and a hash of the identity, never the identity itself. */
  key: string
  source: ConversationSource
  /** The target the conversation answered on last; null for a conversation not seen (or expired). */
  pin: AttemptTarget | null
  /** Why the pin cannot lead this request; null when it leads the candidates (or there is none). */
  unavailable: MoveReason | null
}

/** Where a request came in and when: for overhead, latency and the request log. */
export interface RequestOrigin {
  path: string
  receivedAtMs: number
  /** The HTTP layer's id for the request (x-request-id), carried into the finished-request event. */
  requestId?: string
}

/** Why a provider is not among the candidates: it cannot take this request, or not right now. */
export interface Exclusion {
  provider: string
  kind: 'capability' | 'unavailable'
  reason: string
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
  rankPart: (task: TaskType, complexity: Complexity) => Candidate[]
  /** The conversation's pin; null where affinity does not apply (parts, background calls, a pinned model). */
  affinity: PlannedAffinity | null
}

/** What the quality gate may hold against an answer beyond the universal checks (empty, refusal, stub). */
export interface AnswerCheck {
  /** The user asked for code to be written: an answer without any is not one. */
  expectsCode: boolean
}

/** One chain of candidates answering one final upstream request. */
export interface ResolvedTask {
  request: ChatRequest
  candidates: readonly Candidate[]
  check: AnswerCheck
}

/** A part, ready to run once its inputs are in; a web_search part's search already under way. */
export interface ResolvedPart extends PlannedPart {
  check: AnswerCheck
  /** Results of this part's own web search (a web_search part), started at preparation time. */
  findings: Promise<Enrichment> | null
}

/** How a request's search went: the request to send with its results, and what the headers say. */
export interface Enrichment {
  /** Turns a request into the one to send: results fenced as untrusted data, or a no-fresh-data note. */
  apply: (request: ChatRequest) => ChatRequest
  outcome: 'searched' | 'skipped'
  reason: string | null
}

/** A plan with everything decided that can be decided before the first model call. */
export type ResolvedPlan =
  | { kind: 'task'; plan: RoutePlan; original: ChatRequest; task: ResolvedTask; notes: OutcomeNotes }
  | {
      kind: 'parts'
      plan: RoutePlan & { parts: PlannedPart[] }
      original: ChatRequest
      parts: ResolvedPart[]
      synthesisCandidates: readonly Candidate[]
      notes: OutcomeNotes
    }

/** Extra x-smartsplit-* facts beyond the plan and the answering candidate. */
export interface OutcomeNotes {
  subtasks?: string
  synthesis?: 'model' | 'concatenated'
  enrich?: 'searched' | 'skipped'
  affinity?: AffinityOutcome
  /** An autocomplete's answer came from a native fill-in-the-middle endpoint, or from a chat model. */
  completion?: 'native' | 'emulated'
}

/** The one answer of a request, as a stream of canonical chunks; the HTTP edge streams or collects it. */
export interface StreamOutcome {
  candidate: Candidate
  attempts: AttemptRecord[]
  chunks: AsyncIterable<ChatChunk>
  notes: OutcomeNotes
}

export type { ConversationRef, ConversationSource }
