// The journey of one request:
//
//   request ─► plan: analyze (task, complexity, needs web, agentic, parts; local, no I/O), then rank
//              candidates from one snapshot of provider state (routing table × mode × tier ×
//              capabilities × availability × learned)
//              (a conversation's pinned provider, model and key first while it can serve: affinity)
//           ─► prepare (the same for streamed and collected requests):
//                ├─ parts ─► the LLM planner may refine the local split (remembered)
//                └─ enrich ► web search first, results fenced as untrusted data (a web_search part's
//                            search starts here too, awaited by that part only)
//           ─► execute: one stream of canonical chunks
//                ├─ one task ► open first available: ask the state layer, call, peek the opening
//                │             (fallback on connect error, timeout, 429, 5xx, malformed, refusal —
//                │             invisible to the client); a client that waits for the whole answer has
//                │             it checked whole before it is committed
//                └─ parts ───► each part on its own best model (parallel unless dependent) ─► one
//                              synthesis call streamed (or a clean concatenation)
//           ─► stamp chunks (one id, one created, the answering model) ─► the conversation is pinned to the
//              target that answered (an autocomplete, latency first, loses a chat model's code fence
//              instead) ─► http/ streams or collects them
//           ─► on finish: the state layer settles each call; the outcome sink (metrics, store, learner)
//              hears about the request
//
//   embeddings ─► one model for the model id (never another: an index keeps one vector space) ─► its
//                 keys in turn, batch by batch, each call admitted and settled by the state layer

import type { Clock } from '../lib/clock.js'
import type { Random } from '../lib/random.js'
import type { EmbeddingsFacts } from '../providers/catalog.js'
import type { EmbeddingAdapter, ProviderAdapter } from '../providers/types.js'
import type { EmbeddingsRequest } from '../wire/embeddings/types.js'
import type { ChatRequest } from '../wire/openai/types.js'
import { conversationKey, fingerprintConversation } from './affinity/conversation-key.js'
import { mayFollowPin } from './affinity/may-follow-pin.js'
import { recordAffinity } from './affinity/record-affinity.js'
import { withPromptCacheKey } from './affinity/with-prompt-cache-key.js'
import { finishAutocomplete } from './autocomplete/finish-autocomplete.js'
import { type EmbeddingsOutcome, embed } from './embed/embed.js'
import { createModelCaller } from './execute/complete-task.js'
import { execute } from './execute/execute.js'
import type { ExecuteDeps } from './execute/run-task.js'
import { planRoute } from './plan/plan-route.js'
import type { CapacityGate, ConversationPins, Learner, OutcomeSink, PlanMemory, Search } from './ports.js'
import { prepare } from './prepare/prepare.js'
import { refineParts } from './prepare/refine-parts.js'
import type { Candidate } from './route/types.js'
import type { ConversationRef, PipelineSettings, RequestOrigin, RoutePlan, StreamOutcome } from './types.js'

export type { AttemptRecord } from './attempts.js'
export type { EmbeddingsOutcome } from './embed/embed.js'
export type * from './ports.js'
export type { Candidate } from './route/types.js'
export type * from './types.js'

/** What the pipeline is built from, besides its settings: the ports and the platform. */
export interface PipelinePorts {
  capacity: CapacityGate
  learner: Learner
  outcomes: OutcomeSink
  search: Search
  plans: PlanMemory
  pins: ConversationPins
  adapterFor(candidate: Candidate): ProviderAdapter
  embedderFor(api: EmbeddingsFacts['api']): EmbeddingAdapter
  clock: Clock
  random: Random
}

export interface Pipeline {
  readonly settings: PipelineSettings
  /**
   * Analyze and rank: where the request would go. Throws the client's error when it cannot go anywhere.
   * `conversation` is the identity the client gave (a header, a session field); without one, the
   * conversation is recognized by its system prompt, tools and first message.
   */
  plan(
    request: ChatRequest,
    options?: { planner?: PipelineSettings['planner']; conversation?: ConversationRef | null },
  ): Promise<RoutePlan>
  /** Prepare and execute a plan; `wholeAnswer` for a client that waits for all of the answer. */
  run(
    request: ChatRequest,
    plan: RoutePlan,
    origin: RequestOrigin,
    options: { wholeAnswer: boolean },
    signal: AbortSignal,
  ): Promise<StreamOutcome>
  /** Vectors for texts from the one embedding model the request's model id stands for. */
  embed(request: EmbeddingsRequest, origin: RequestOrigin, signal: AbortSignal): Promise<EmbeddingsOutcome>
  /** The plan after the planner's refinement, with no answer asked for (the dry run of POST /v1/plan). */
  refine(
    request: ChatRequest,
    plan: RoutePlan,
    planner: PipelineSettings['planner'],
    signal: AbortSignal,
  ): Promise<RoutePlan>
}

export function createPipeline(settings: PipelineSettings, ports: PipelinePorts): Pipeline {
  const executeDeps: ExecuteDeps = {
    adapterFor: ports.adapterFor,
    capacity: ports.capacity,
    clock: ports.clock,
    random: ports.random,
    outcomes: ports.outcomes,
    timeouts: settings.timeouts,
    budget: settings.budget,
    qualityGates: settings.qualityGates,
    logPrompts: settings.logPrompts,
  }
  // Autocomplete is latency first: a tight wait for the first token, and no quality gate holding it back.
  const autocompleteDeps: ExecuteDeps = {
    ...executeDeps,
    timeouts: { ...settings.timeouts, firstByteMs: settings.autocomplete.firstByteMs },
    qualityGates: { enabled: false, maxEscalations: 0 },
  }
  const models = createModelCaller(executeDeps)
  const plannerDeps = (planner: PipelineSettings['planner']) => ({ planner, plans: ports.plans, models })
  return {
    settings,
    async plan(request, options = {}) {
      const planner = options.planner ?? settings.planner
      // An autocomplete has no conversation to keep: every keystroke is a new prompt.
      const hasConversation = settings.affinity && request.text_completion === undefined
      const ref = hasConversation ? (options.conversation ?? fingerprintConversation(request)) : null
      const key = ref === null ? null : conversationKey(ref)
      const readsPin = key !== null && ref !== null && mayFollowPin(request, ref)
      const [snapshot, pin] = await Promise.all([
        ports.capacity.snapshot(),
        readsPin ? ports.pins.get(key, ports.clock.nowMs()) : null,
      ])
      const conversation = ref === null || key === null ? null : { key, source: ref.source, pin }
      const inputs = { settings: { ...settings, planner }, snapshot, learner: ports.learner, conversation }
      return planRoute(request, inputs)
    },
    async run(request, plan, origin, options, signal) {
      const prepareDeps = { ...plannerDeps(settings.planner), search: ports.search, clock: ports.clock }
      const resolved = await prepare(withPromptCacheKey(request, plan), plan, prepareDeps, signal)
      const isAutocomplete = plan.analysis.isAutocomplete === true
      const deps = isAutocomplete ? autocompleteDeps : executeDeps
      const outcome = await execute(resolved, { origin, wholeAnswer: options.wholeAnswer }, deps, signal)
      if (isAutocomplete) return finishAutocomplete(outcome)
      return recordAffinity(plan, outcome, ports.pins, ports.clock.nowMs())
    },
    embed: (request, origin, signal) => embed(request, origin, { ...ports, settings }, signal),
    refine: (request, plan, planner, signal) => refineParts(request, plan, plannerDeps(planner), signal),
  }
}
