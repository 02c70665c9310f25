import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { isDeepStrictEqual } from 'node:util'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import { Agent, type Dispatcher } from 'undici'
import type { Config, ProviderConfig } from './config/types.js'
import { AttemptWindow } from './dashboard/attempt-window.js'
import { ConfigStatus } from './dashboard/config-status.js'
import { DashboardFeed } from './dashboard/dashboard-feed.js'
import { createDashboardSource } from './dashboard/dashboard-source.js'
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
import type { TaskType } from './pipeline/analyze/types.js'
import { chooseDefaultEmbeddingModel } from './pipeline/embed/choose-default-embedding-model.js'
import { describePlan, type PlanView } from './pipeline/plan/describe-plan.js'
import { PlanCache, parsePlannerAnswer } from './pipeline/plan/llm-planner.js'
import type { PlannedSplit } from './pipeline/ports.js'
import { qualityPrior } from './pipeline/route/routing-table.js'
import { createAnthropicAdapter } from './providers/anthropic/anthropic-adapter.js'
import { createGeminiEmbeddingsAdapter } from './providers/embeddings/gemini-embeddings-adapter.js'
import { createHuggingFaceEmbeddingsAdapter } from './providers/embeddings/huggingface-embeddings-adapter.js'
import { createOpenAIEmbeddingsAdapter } from './providers/embeddings/openai-embeddings-adapter.js'
import { createGeminiAdapter } from './providers/gemini/gemini-adapter.js'
import { createOpenAICompatibleAdapter } from './providers/openai-compatible/openai-compatible-adapter.js'
import type { Dialect, ProviderAdapter } from './providers/types.js'
import { restartOnlyChanges } from './restart-only-changes.js'
import {
  buildRouting,
  followRouting,
  providerStateOptions,
  type Routing,
  type RoutingParts,
  usableProviders,
} from './routing-runtime.js'
import { createSearchAdapters } from './search/create-search-adapters.js'
import { createMemoryConversationPins } from './state/conversation-pins.js'
import { createMemoryArmStatistics } from './state/learning/arm-statistics.js'
import { Bandit } from './state/learning/bandit.js'
import { createProviderState } from './state/provider-state.js'
import { type OutcomeSinks, recordOutcome } from './state/record-outcomes.js'
import { rememberEmbeddingDefault } from './state/remember-embedding-default.js'
import { restoreSavedCounters } from './state/restore-saved-counters.js'
import { createSharedState } from './state/shared/create-shared-state.js'
import { describeSharedState } from './state/shared/describe-shared-state.js'
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
  /**
   * Where GET /metrics gets its Prometheus text, given this app's registry: its own by default; every
   * worker's, summed, under `--workers` (a scrape reaches any one of them).
   */
  prometheus?: (registry: Registry) => () => Promise<string>
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
  /**
   * Applies a validated config to new requests (providers and keys, routing rows, mode, limits…); those
   * in flight finish on the config they started with, and the counters of keys that remain are kept.
   * Returns the changed settings that only a restart applies (they keep their running values).
   */
  reload(config: Config): string[]
  /** A config that could not be loaded: logged by the caller, shown on the dashboard; the running one stays. */
  refuseConfig(message: string): void
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

const configFacts = (config: Config) => ({
  source: config.source,
  mode: config.mode,
  logPrompts: config.logPrompts,
})

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
  // Every key ever configured, reloads included: an old key in an error message is still a secret.
  const secrets = new Set([
    ...config.providers.flatMap((p) => p.apiKeys),
    ...config.search.flatMap((s) => s.apiKeys),
    ...config.server.apiKeys,
  ])
  const redact = (text: string): string => redactSecrets(text, [...secrets])
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
  const { redisUrl } = config.sharedState
  // Shared through Redis, the provider state is built once, for the providers the server started with:
  // every instance keys its counters by them (a change of providers needs a restart of every instance).
  const shared =
    redisUrl === null
      ? null
      : createSharedState({
          ...providerStateOptions(config, usableProviders(config, adapters), deps),
          ...config.sharedState,
          redisUrl,
          // Unique per process whatever the seed of `random` (two apps of one test share it): batch ids
          // and the count of live instances depend on it.
          instance: `${hostname()}:${deps.processes?.ownPid ?? 0}:${randomUUID()}`,
          savedArms: store.loadArms(),
          warn: (message) => deps.logger.warn(message),
          info: (message) => deps.logger.info(message),
        })
  const bandit = new Bandit({}, shared?.armStatistics ?? createMemoryArmStatistics(store.loadArms()))
  const planCache = new PlanCache()
  const plans = shared?.sharePlans(planCache, PLAN_CODEC) ?? planCache
  const localPins = createMemoryConversationPins(config.affinity)
  const pins = shared?.sharePins(localPins, config.affinity) ?? localPins
  const requestLog = new RequestLog(deps.logger)
  const attemptWindow = new AttemptWindow()
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
  const routingParts: RoutingParts = {
    clock: deps.clock,
    random: deps.random,
    logger: deps.logger,
    adapters,
    searchAdapters: createSearchAdapters(dispatcher),
    learner: { quality: (task, provider, model, prior) => bandit.quality(task, provider, model, prior) },
    outcomes: {
      requestFinished: (event) => {
        recordOutcome(sinks, event)
        requestLog.finished(event)
        attemptWindow.record(event)
      },
    },
    plans,
    pins,
    embedderFor: (api) => embedders[api],
    embeddingDefault: (current, providers) =>
      rememberEmbeddingDefault(store, (saved) =>
        chooseDefaultEmbeddingModel(current.embeddings.defaultModel, saved, providers),
      ),
    stateFor: (options) => shared?.providerState ?? createProviderState(options),
  }
  let routing: Routing = buildRouting(config, routingParts, null)
  // Daily quotas survive a restart: the counters are saved with the other batched writes.
  const countersWarning = restoreSavedCounters(
    () => store.loadDocument(COUNTERS_DOCUMENT),
    routing.providerState.persistence,
  )
  if (countersWarning !== null) deps.logger.warn(countersWarning)
  // Learning statistics are saved with the next batch of writes, at most every few seconds.
  const saveLearning = (): void => {
    store.saveArms(bandit.export())
    store.saveDocument(COUNTERS_DOCUMENT, routing.providerState.persistence.exportCounters())
  }
  const saveArms = setInterval(saveLearning, 5_000)
  saveArms.unref()

  const pipeline = followRouting(() => routing)
  const configStatus = new ConfigStatus({ ...configFacts(config), atMs: startedAtMs })
  const dashboardSource = createDashboardSource({
    nowMs: () => deps.clock.nowMs(),
    metrics: () => services.metrics(),
    health: () => routing.providerState.health.report(),
    providers: () => routing.providers,
    store,
    arms: () => bandit.export(),
    prior: (task, provider, model) =>
      qualityPrior(pipeline.settings.table, task as TaskType, provider, model, deps.clock.nowMs()).value,
    quality: (task, provider, model, prior) => bandit.quality(task, provider, model, prior),
    attempts: attemptWindow,
    config: () => configStatus.view(),
  })

  const inFlight = new InFlight()
  const services: HttpServices = {
    inFlight,
    pipeline,
    providers: routing.providers,
    mode: config.mode,
    embeddingModel: routing.pipeline.settings.embeddings.defaultModel,
    keepaliveMs: config.timeouts.keepaliveMs,
    bodyLimitBytes: config.server.bodyLimitBytes,
    startedAtMs,
    nowMs: () => deps.clock.nowMs(),
    token: (length) => deps.random.token(length),
    redact,
    metrics: () => metrics.snapshot(unhealthyProviders(routing.providerState.health.report())),
    providerHealth: () => routing.providerState.health.report(),
    prometheus: deps.prometheus?.(metrics.registry) ?? (() => metrics.prometheus()),
    savings: (sinceDay) => store.dailySavings(sinceDay),
    promptCache: (sinceDay) => store.promptCache(sinceDay),
    storeHealth: () => store.health(),
    sharedState: () => describeSharedState(shared?.status() ?? null),
    savingsReference: config.savingsReference,
    newRequestId: () => `req_${deps.random.token(20)}`,
    logRequest(entry: RequestLogEntry) {
      const isServed = requestLog.responded({
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
      if (isServed) store.noteResponse(entry.requestId, { status: entry.status, client: entry.client })
    },
    logError(error) {
      const err = error as Error
      deps.logger.error(
        { error: redact(err.message ?? String(error)), stack: redact(err.stack ?? '') },
        'internal error',
      )
    },
    dashboard: {
      source: dashboardSource,
      feed: new DashboardFeed(dashboardSource, () => deps.clock.nowMs()),
    },
  }

  const server = createServer(services, config.server)
  return {
    server,
    get providers() {
      return routing.providers
    },
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
    reload(wanted) {
      // Against the config the server started with: that is what its address, store and limits still are.
      const needsRestart = restartOnlyChanges(config, wanted)
      const keepsProviders = shared !== null && !isDeepStrictEqual(config.providers, wanted.providers)
      if (keepsProviders) needsRestart.push('providers (their state is shared through Redis)')
      const next = keepsProviders ? { ...wanted, providers: config.providers } : wanted
      routing = buildRouting(next, routingParts, routing)
      for (const key of [...next.providers, ...next.search].flatMap((p) => p.apiKeys)) secrets.add(key)
      services.providers = routing.providers
      services.mode = next.mode
      services.embeddingModel = routing.pipeline.settings.embeddings.defaultModel
      configStatus.applied({ ...configFacts(next), atMs: deps.clock.nowMs() }, needsRestart)
      return needsRestart
    },
    refuseConfig: (message) => configStatus.refused(redact(message), deps.clock.nowMs()),
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
