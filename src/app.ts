import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { Agent, type Dispatcher } from 'undici'
import type { Config, ProviderConfig } from './config/types.js'
import { createServer } from './http/create-server.js'
import { InFlight } from './http/in-flight.js'
import { type Drain, drainConnections } from './http/security/drain-connections.js'
import type { HttpServices, RequestLogEntry } from './http/types.js'
import type { Clock } from './lib/clock.js'
import { type Processes, systemProcesses } from './lib/processes.js'
import type { Random } from './lib/random.js'
import { redactSecrets } from './lib/redact.js'
import { Metrics } from './metrics/metrics.js'
import { RequestLog } from './metrics/request-log.js'
import { chooseDefaultEmbeddingModel } from './pipeline/embed/choose-default-embedding-model.js'
import { describePlan, type PlanView } from './pipeline/plan/describe-plan.js'
import { PlanCache, parsePlannerAnswer } from './pipeline/plan/llm-planner.js'
import type { PlannedSplit } from './pipeline/ports.js'
import { buildRoutingTable } from './pipeline/route/routing-table.js'
import { createPipeline, type PipelineSettings, type Search } from './pipeline/run.js'
import { createAnthropicAdapter } from './providers/anthropic/anthropic-adapter.js'
import { createGeminiEmbeddingsAdapter } from './providers/embeddings/gemini-embeddings-adapter.js'
import { createHuggingFaceEmbeddingsAdapter } from './providers/embeddings/huggingface-embeddings-adapter.js'
import { createOpenAIEmbeddingsAdapter } from './providers/embeddings/openai-embeddings-adapter.js'
import { createGeminiAdapter } from './providers/gemini/gemini-adapter.js'
import { createOpenAICompatibleAdapter } from './providers/openai-compatible/openai-compatible-adapter.js'
import type { Dialect, ProviderAdapter } from './providers/types.js'
import { createSearchAdapters } from './search/create-search-adapters.js'
import { searchWithFallback } from './search/search-with-fallback.js'
import { createMemoryConversationPins } from './state/conversation-pins.js'
import { createMemoryArmStatistics } from './state/learning/arm-statistics.js'
import { Bandit } from './state/learning/bandit.js'
import { createProviderState, type ProviderStateOptions } from './state/provider-state.js'
import { type OutcomeSinks, recordOutcome } from './state/record-outcomes.js'
import { rememberEmbeddingDefault } from './state/remember-embedding-default.js'
import { restoreSavedCounters } from './state/restore-saved-counters.js'
import { createSharedState } from './state/shared/create-shared-state.js'
import { describeSharedState } from './state/shared/describe-shared-state.js'
import { describeStateChange } from './state/state-change.js'
import { openStore } from './state/store/open-store.js'
import { unhealthyProviders } from './state/unhealthy-providers.js'
import { parseChatRequest } from './wire/openai/parse-chat-request.js'

export interface AppDeps {
  clock: Clock
  random: Random
  logger: Logger
  /** Upstream connection pool; tests may pass their own. */
  dispatcher?: Dispatcher
  /** Who holds the data dir's lock; this process by default. */
  processes?: Processes
  /** The parent process holds the data dir's lock (a worker of `--workers`). */
  dataDirLockHeld?: boolean
}

export interface App {
  server: FastifyInstance
  providers: readonly ProviderConfig[]
  /** What the operator must see at start (the store fell back to memory, a corrupt file moved aside…). */
  warnings: readonly string[]
  /** The dry run of POST /v1/plan, for the CLI: where a chat request would go, no model called. */
  plan(body: unknown): Promise<PlanView>
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>
  /**
   * Begins a graceful stop once close() has been called: idle connections close at once, requests in
   * flight get `graceMs` to finish, then are cut (each ends with an error and reports its usage).
   */
  drain(graceMs: number): Drain
  /** Stops listening, waits for the requests in flight to finish, then saves state and closes the store. */
  close(): Promise<void>
}

const COUNTERS_DOCUMENT = 'rate-limit-counters'

/** A split as it travels between instances: the planner's own answer format, read back by its parser. */
const PLAN_CODEC = {
  encode: (split: PlannedSplit): string =>
    JSON.stringify({
      parts: split.parts.map((part, index) => ({ ...part, depends_on: split.dependsOn[index] ?? [] })),
    }),
  decode: (text: string): PlannedSplit | null => parsePlannerAnswer(text, 16),
}

/** The composition root: everything is built here from Config + Deps, so two apps can share a process. */
export function createApp(config: Config, deps: AppDeps): App {
  const ownsDispatcher = deps.dispatcher === undefined
  const dispatcher =
    deps.dispatcher ??
    new Agent({
      connect: { timeout: config.timeouts.connectMs },
      keepAliveTimeout: 30_000,
      // No cap on connections per upstream: every open client stream holds one upstream request, and a
      // cap would queue the 129th stream behind the others (a stall the client cannot explain).
    })
  const adapters = new Map<Dialect, ProviderAdapter>([
    ['openai', createOpenAICompatibleAdapter(dispatcher, config.upstreamLimits)],
    ['anthropic', createAnthropicAdapter(dispatcher, config.upstreamLimits)],
    ['gemini', createGeminiAdapter(dispatcher, deps.random, config.upstreamLimits)],
  ])
  const embedders = {
    openai: createOpenAIEmbeddingsAdapter(dispatcher, config.upstreamLimits),
    gemini: createGeminiEmbeddingsAdapter(dispatcher, config.upstreamLimits),
    huggingface: createHuggingFaceEmbeddingsAdapter(dispatcher, config.upstreamLimits),
  }
  const providers = config.providers.map((provider) =>
    provider.enabled && !adapters.has(provider.dialect)
      ? {
          ...provider,
          enabled: false,
          disabledReason: `the ${provider.dialect} dialect is not supported yet`,
        }
      : provider,
  )
  const secrets = [
    ...providers.flatMap((p) => p.apiKeys),
    ...config.search.flatMap((s) => s.apiKeys),
    ...config.server.apiKeys,
  ]
  const redact = (text: string): string => redactSecrets(text, secrets)
  const startedAtMs = deps.clock.nowMs()

  const { store, warnings } = openStore({
    kind: config.store,
    dataDir: config.dataDir,
    nowMs: () => deps.clock.nowMs(),
    retentionDays: config.retentionDays,
    processes: deps.processes ?? systemProcesses,
    warn: (message) => deps.logger.warn(message),
    lockHeldByParent: deps.dataDirLockHeld === true,
  })
  for (const warning of warnings) deps.logger.warn(warning)
  const stateOptions: ProviderStateOptions = {
    clock: deps.clock,
    providers,
    onChange: (change) => {
      const { message, fields } = describeStateChange(change)
      deps.logger.warn(fields, message)
    },
    breaker: {
      failureThreshold: config.circuitBreaker.failureThreshold,
      failureWindowMs: config.circuitBreaker.windowMs,
      openMs: config.circuitBreaker.openMs,
    },
    onModelRetired: (gone) =>
      deps.logger.warn(
        { provider: gone.provider, model: gone.model, reason: redact(gone.reason) },
        `${gone.provider} no longer serves ${gone.model}: routing to its next model (see GET /health; tried again after 24 h)`,
      ),
  }
  const { redisUrl } = config.sharedState
  const shared =
    redisUrl === null
      ? null
      : createSharedState({
          ...stateOptions,
          ...config.sharedState,
          redisUrl,
          // Unique per process whatever the seed of `random` (two apps of one test share it): batch ids
          // and the count of live instances depend on it.
          instance: `${hostname()}:${deps.processes?.ownPid ?? 0}:${randomUUID()}`,
          savedArms: store.loadArms(),
          warn: (message) => deps.logger.warn(message),
          info: (message) => deps.logger.info(message),
        })
  const providerState = shared?.providerState ?? createProviderState(stateOptions)
  const bandit = new Bandit({}, shared?.armStatistics ?? createMemoryArmStatistics(store.loadArms()))
  // Daily quotas survive a restart: the counters are saved with the other batched writes.
  const countersWarning = restoreSavedCounters(
    () => store.loadDocument(COUNTERS_DOCUMENT),
    providerState.persistence,
  )
  if (countersWarning !== null) deps.logger.warn(countersWarning)
  const planCache = new PlanCache()
  const plans = shared?.sharePlans(planCache, PLAN_CODEC) ?? planCache
  const requestLog = new RequestLog(deps.logger)
  const metrics = new Metrics(() => ({ hits: planCache.hits, misses: planCache.misses }), {
    startedAtMs,
    allTime: () => store.totals(),
  })
  const sinks: OutcomeSinks = {
    metrics,
    store,
    bandit,
    reference: config.savingsReference,
    typicalLatencyMs: new Map(),
  }
  // Learning statistics are saved with the next batch of writes, at most every few seconds.
  const saveLearning = (): void => {
    store.saveArms(bandit.export())
    store.saveDocument(COUNTERS_DOCUMENT, providerState.persistence.exportCounters())
  }
  const saveArms = setInterval(saveLearning, 5_000)
  saveArms.unref()

  const searchAdapters = createSearchAdapters(dispatcher)
  const search: Search = {
    find: (query, signal) =>
      searchWithFallback(config.search, searchAdapters, query, signal, config.searchTimeoutMs),
  }
  const settings: PipelineSettings = {
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
    embeddings: {
      defaultModel: rememberEmbeddingDefault(store, (saved) =>
        chooseDefaultEmbeddingModel(config.embeddings.defaultModel, saved, providers),
      ),
    },
  }
  const pipeline = createPipeline(settings, {
    capacity: providerState.coordination,
    learner: { quality: (task, provider, model, prior) => bandit.quality(task, provider, model, prior) },
    outcomes: {
      requestFinished: (event) => {
        recordOutcome(sinks, event)
        requestLog.finished(event)
      },
    },
    search,
    plans,
    pins: createMemoryConversationPins(config.affinity),
    adapterFor: (candidate) => adapters.get(candidate.provider.dialect)!,
    embedderFor: (api) => embedders[api],
    clock: deps.clock,
    random: deps.random,
  })

  const inFlight = new InFlight()
  const services: HttpServices = {
    inFlight,
    pipeline,
    providers,
    mode: config.mode,
    embeddingModel: settings.embeddings.defaultModel,
    keepaliveMs: config.timeouts.keepaliveMs,
    bodyLimitBytes: config.server.bodyLimitBytes,
    startedAtMs,
    nowMs: () => deps.clock.nowMs(),
    token: (length) => deps.random.token(length),
    redact,
    metrics: () => metrics.snapshot(unhealthyProviders(providerState.health.report())),
    providerHealth: () => providerState.health.report(),
    prometheus: () => metrics.prometheus(),
    savings: (sinceDay) => store.dailySavings(sinceDay),
    promptCache: (sinceDay) => store.promptCache(sinceDay),
    storeHealth: () => store.health(),
    sharedState: () => describeSharedState(shared?.status() ?? null),
    savingsReference: config.savingsReference,
    newRequestId: () => `req_${deps.random.token(20)}`,
    logRequest(entry: RequestLogEntry) {
      requestLog.responded({
        requestId: entry.requestId,
        method: entry.method,
        // A path from outside: bounded before it reaches a log line.
        endpoint: entry.path.slice(0, 200),
        status: entry.status,
        latencyMs: deps.clock.nowMs() - entry.receivedAtMs,
        error:
          entry.error === null || entry.error === undefined
            ? null
            : redact(String((entry.error as Error).message ?? entry.error)).slice(0, 1000),
      })
    },
    logError(error) {
      const err = error as Error
      deps.logger.error(
        { error: redact(err.message ?? String(error)), stack: redact(err.stack ?? '') },
        'internal error',
      )
    },
  }

  const server = createServer(services, config.server)
  return {
    server,
    providers,
    warnings,
    async plan(body) {
      const chat = parseChatRequest(body)
      return describePlan(chat, await pipeline.plan(chat))
    },
    async listen() {
      await server.listen({ host: config.server.host, port: config.server.port })
      const address = server.server.address()
      const port = typeof address === 'object' && address !== null ? address.port : config.server.port
      const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host
      return `http://${host}:${port}`
    },
    drain: (graceMs) => drainConnections(server.server, inFlight, graceMs),
    async close() {
      await server.close()
      // A response can end before its request is reported (a cut stream unwinds after its socket closed).
      await inFlight.settled(2_000)
      clearInterval(saveArms)
      saveLearning()
      await shared?.close()
      store.close()
      if (ownsDispatcher) await dispatcher.close()
    },
  }
}
