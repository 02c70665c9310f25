import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { Agent, type Dispatcher } from 'undici'
import type { Config, ProviderConfig } from './config/types.js'
import { createServer } from './http/create-server.js'
import type { HttpServices, RequestLogEntry } from './http/types.js'
import type { Clock } from './lib/clock.js'
import { type Processes, systemProcesses } from './lib/processes.js'
import type { Random } from './lib/random.js'
import { redactSecrets } from './lib/redact.js'
import { Metrics } from './metrics/metrics.js'
import { describePlan, type PlanView } from './pipeline/plan/describe-plan.js'
import { PlanCache } from './pipeline/plan/llm-planner.js'
import { buildRoutingTable } from './pipeline/route/routing-table.js'
import { planRoute, type RunContext } from './pipeline/run.js'
import { createAnthropicAdapter } from './providers/anthropic/anthropic-adapter.js'
import { createGeminiAdapter } from './providers/gemini/gemini-adapter.js'
import { createOpenAICompatibleAdapter } from './providers/openai-compatible/openai-compatible-adapter.js'
import type { Dialect, ProviderAdapter } from './providers/types.js'
import { createSearchAdapters } from './search/create-search-adapters.js'
import { Bandit } from './state/learning/bandit.js'
import { createProviderState } from './state/provider-state.js'
import { type OutcomeSinks, recordOutcome } from './state/record-outcomes.js'
import { restoreSavedCounters } from './state/restore-saved-counters.js'
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
}

export interface App {
  server: FastifyInstance
  providers: readonly ProviderConfig[]
  /** What the operator must see at start (the store fell back to memory, a corrupt file moved aside…). */
  warnings: readonly string[]
  /** The dry run of POST /v1/plan, for the CLI: where a chat request would go, no model called. */
  plan(body: unknown): PlanView
  /** Starts listening; resolves with the base URL. */
  listen(): Promise<string>
  close(): Promise<void>
}

const COUNTERS_DOCUMENT = 'rate-limit-counters'

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
  })
  for (const warning of warnings) deps.logger.warn(warning)
  const bandit = new Bandit({}, store.loadArms())
  const providerState = createProviderState({
    clock: deps.clock,
    providers,
    breaker: {
      failureThreshold: config.circuitBreaker.failureThreshold,
      failureWindowMs: config.circuitBreaker.windowMs,
      openMs: config.circuitBreaker.openMs,
    },
  })
  // Daily quotas survive a restart: the counters are saved with the other batched writes.
  const countersWarning = restoreSavedCounters(() => store.loadDocument(COUNTERS_DOCUMENT), providerState)
  if (countersWarning !== null) deps.logger.warn(countersWarning)
  const planCache = new PlanCache()
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
    store.saveDocument(COUNTERS_DOCUMENT, providerState.exportCounters())
  }
  const saveArms = setInterval(saveLearning, 5_000)
  saveArms.unref()

  const runContext: RunContext = {
    providers,
    mode: config.mode,
    table: buildRoutingTable(config.routing),
    state: providerState,
    learned: (task, provider, model, prior) => bandit.quality(task, provider, model, prior),
    onFinished: (event) => recordOutcome(sinks, event),
    logPrompts: config.logPrompts,
    planner: config.planner,
    planCache,
    search: {
      providers: config.search,
      adapters: createSearchAdapters(dispatcher),
      timeoutMs: config.searchTimeoutMs,
      clock: deps.clock,
    },
    clock: deps.clock,
    random: deps.random,
    open: {
      adapterFor: (candidate) => adapters.get(candidate.provider.dialect)!,
      clock: deps.clock,
      state: providerState,
      budget: config.retryBudget,
      qualityGates: config.qualityGates,
      timeouts: {
        connectMs: config.timeouts.connectMs,
        firstByteMs: config.timeouts.firstByteMs,
        idleMs: config.timeouts.idleMs,
      },
    },
  }

  const services: HttpServices = {
    runContext: () => runContext,
    providers,
    mode: config.mode,
    keepaliveMs: config.timeouts.keepaliveMs,
    bodyLimitBytes: config.server.bodyLimitBytes,
    startedAtMs,
    nowMs: () => deps.clock.nowMs(),
    redact,
    metrics: () => metrics.snapshot(unhealthyProviders(providerState.healthReport())),
    providerHealth: () => providerState.healthReport(),
    prometheus: () => metrics.prometheus(),
    savings: (sinceDay) => store.dailySavings(sinceDay),
    storeHealth: () => store.health(),
    savingsReference: config.savingsReference,
    logRequest(entry: RequestLogEntry) {
      const fields = {
        path: entry.path,
        status: entry.status,
        mode: entry.plan?.mode,
        provider: entry.candidate?.provider.name,
        model: entry.candidate?.model,
      }
      if (entry.error === null) deps.logger.info(fields, 'request served')
      else
        deps.logger.warn(
          { ...fields, error: redact(String((entry.error as Error).message ?? entry.error)) },
          'request failed',
        )
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
    plan(body) {
      const chat = parseChatRequest(body)
      return describePlan(chat, planRoute(chat, runContext))
    },
    async listen() {
      await server.listen({ host: config.server.host, port: config.server.port })
      const address = server.server.address()
      const port = typeof address === 'object' && address !== null ? address.port : config.server.port
      const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host
      return `http://${host}:${port}`
    },
    async close() {
      await server.close()
      clearInterval(saveArms)
      saveLearning()
      store.close()
      if (ownsDispatcher) await dispatcher.close()
    },
  }
}
