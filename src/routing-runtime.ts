import type { Logger } from 'pino'
import type { Config, ProviderConfig } from './config/types.js'
import type { Clock } from './lib/clock.js'
import type { Random } from './lib/random.js'
import { redactSecrets } from './lib/redact.js'
import { buildRoutingTable } from './pipeline/route/routing-table.js'
import {
  type ConversationPins,
  createPipeline,
  type Learner,
  type OutcomeSink,
  type Pipeline,
  type PipelineSettings,
  type PlanMemory,
  type RoutePlan,
  type Search,
} from './pipeline/run.js'
import type { EmbeddingsFacts } from './providers/catalog.js'
import type { Dialect, EmbeddingAdapter, ProviderAdapter } from './providers/types.js'
import { searchWithFallback } from './search/search-with-fallback.js'
import type { SearchAdapter } from './search/types.js'
import type { ProviderState, ProviderStateOptions } from './state/provider-state.js'
import { describeStateChange } from './state/state-change.js'

/** What stays when the config is reloaded: the platform, the adapters, the learner, the sinks. */
export interface RoutingParts {
  clock: Clock
  random: Random
  logger: Logger
  adapters: ReadonlyMap<Dialect, ProviderAdapter>
  searchAdapters: ReadonlyMap<string, SearchAdapter>
  learner: Learner
  outcomes: OutcomeSink
  plans: PlanMemory
  pins: ConversationPins
  embedderFor(api: EmbeddingsFacts['api']): EmbeddingAdapter
  /** The embedding model `text-embedding-default` stands for among these providers. */
  embeddingDefault(config: Config, providers: readonly ProviderConfig[]): string | null
  /**
   * The provider state for these options: a fresh local one, or (state shared through Redis) the one
   * built at start, which lives as long as the deployment's shared counters do.
   */
  stateFor(options: ProviderStateOptions): ProviderState
}

/** What a config decides: the providers, their state (limits, cooldowns, breakers) and the pipeline. */
export interface Routing {
  config: Config
  providers: ProviderConfig[]
  providerState: ProviderState
  pipeline: Pipeline
}

/** Providers whose dialect SmartSplit has no adapter for are shown disabled, with the reason. */
export function usableProviders(config: Config, adapters: RoutingParts['adapters']): ProviderConfig[] {
  return config.providers.map((provider) =>
    provider.enabled && !adapters.has(provider.dialect)
      ? {
          ...provider,
          enabled: false,
          disabledReason: `the ${provider.dialect} dialect is not supported yet`,
        }
      : provider,
  )
}

function pipelineSettings(
  config: Config,
  providers: readonly ProviderConfig[],
  embeddingDefault: string | null,
): PipelineSettings {
  return {
    providers,
    mode: config.mode,
    table: buildRoutingTable(config.routing),
    isPriorityStated: config.isPriorityStated,
    planner: config.planner,
    logPrompts: config.logPrompts,
    qualityGates: config.qualityGates,
    budget: config.retryBudget,
    timeouts: {
      connectMs: config.timeouts.connectMs,
      firstByteMs: config.timeouts.firstByteMs,
      idleMs: config.timeouts.idleMs,
    },
    affinity: config.affinity.enabled,
    autocomplete: { firstByteMs: config.timeouts.autocompleteFirstByteMs },
    embeddings: { defaultModel: embeddingDefault },
  }
}

/** How a provider state reports what happens to it, and when its breakers open. */
export function providerStateOptions(
  config: Config,
  providers: readonly ProviderConfig[],
  parts: Pick<RoutingParts, 'clock' | 'logger'>,
): ProviderStateOptions {
  const redactFor = (provider: string | undefined): ((text: string) => string) => {
    const keys = providers.find((p) => p.name === provider)?.apiKeys ?? []
    return (text) => redactSecrets(text, keys)
  }
  return {
    clock: parts.clock,
    providers,
    onChange: (change) => {
      const { message, fields } = describeStateChange(change)
      parts.logger.warn(fields, message)
    },
    breaker: {
      failureThreshold: config.circuitBreaker.failureThreshold,
      failureWindowMs: config.circuitBreaker.windowMs,
      openMs: config.circuitBreaker.openMs,
    },
    onModelRetired: (gone) =>
      parts.logger.warn(
        { provider: gone.provider, model: gone.model, reason: redactFor(gone.provider)(gone.reason) },
        `${gone.provider} no longer serves ${gone.model}: routing to its next model (see GET /health; tried again after 24 h)`,
      ),
  }
}

/**
 * Builds what one config decides. With `previous` (a reload), the rate-limit counters and timed blocks
 * of every key that remains are carried over, matched by the key's fingerprint wherever it moved.
 */
export function buildRouting(config: Config, parts: RoutingParts, previous: Routing | null): Routing {
  const providers = usableProviders(config, parts.adapters)
  const providerState = parts.stateFor(providerStateOptions(config, providers, parts))
  // A state shared through Redis is the same object across reloads: its counters are already there.
  if (previous !== null && providerState !== previous.providerState) {
    providerState.persistence.importCounters(previous.providerState.persistence.exportCounters())
  }
  const search: Search = {
    find: (query, signal) =>
      searchWithFallback(config.search, parts.searchAdapters, query, signal, config.searchTimeoutMs),
  }
  const settings = pipelineSettings(config, providers, parts.embeddingDefault(config, providers))
  const pipeline = createPipeline(settings, {
    capacity: providerState.coordination,
    learner: parts.learner,
    outcomes: parts.outcomes,
    search,
    plans: parts.plans,
    pins: parts.pins,
    adapterFor: (candidate) => parts.adapters.get(candidate.provider.dialect)!,
    embedderFor: parts.embedderFor,
    clock: parts.clock,
    random: parts.random,
  })
  return { config, providers, providerState, pipeline }
}

/**
 * The pipeline of the current routing for new requests; a plan made before a reload runs on the
 * pipeline (providers, state, settings) that made it, so a request in flight finishes on its config.
 */
export function followRouting(current: () => Routing): Pipeline {
  const madeBy = new WeakMap<RoutePlan, Pipeline>()
  const owner = (plan: RoutePlan): Pipeline => madeBy.get(plan) ?? current().pipeline
  return {
    get settings() {
      return current().pipeline.settings
    },
    async plan(request, overrides) {
      const pipeline = current().pipeline
      const plan = await pipeline.plan(request, overrides)
      madeBy.set(plan, pipeline)
      return plan
    },
    run: (request, plan, origin, options, signal) => owner(plan).run(request, plan, origin, options, signal),
    embed: (request, origin, signal) => current().pipeline.embed(request, origin, signal),
    async refine(request, plan, planner, signal) {
      const pipeline = owner(plan)
      const refined = await pipeline.refine(request, plan, planner, signal)
      madeBy.set(refined, pipeline)
      return refined
    },
  }
}
