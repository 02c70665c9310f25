import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { failedAttempts } from '../state/store/failed-attempts.js'
import type { StoreTotals } from '../state/store/types.js'
import { LatencyWindow } from './latency-window.js'
import type { RequestFinished } from './types.js'

interface ProviderStats {
  requests: number
  errors: number
  latency: LatencyWindow
  /** Prompt tokens of this provider's calls, and how many of them its prompt cache served. */
  promptTokens: number
  cachedTokens: number
}

/** Requests by what conversation affinity did: new conversations, kept pins, and moves by reason. */
interface AffinityCounts {
  new: number
  kept: number
  moved: number
  moved_by_reason: Record<string, number>
}

export interface MetricsSnapshot {
  /** Every count below is since this moment (the start of this SmartSplit); `all_time` is not. */
  counts_since: string
  requests: { total: number; enrich: number; respond: number; errors: number }
  savings: { tokens_saved: number; cost_saved_usd: number; cost_usd: number }
  /** Answered requests that needed a failover, answered by a paid provider, and their tokens. */
  traffic: { failovers: number; paid: number; tokens_in: number; tokens_out: number }
  cache: { hits: number; misses: number; hit_rate: number }
  circuit_breaker: { unhealthy_providers: string[] }
  providers: Record<
    string,
    {
      requests: number
      errors: number
      latency_ms: { p50: number | null; p95: number | null }
      prompt_cache: { prompt_tokens: number; cached_tokens: number; cached_share: number }
    }
  >
  /** Prompt tokens across every call, and the share providers' prompt caches served. */
  prompt_cache: { prompt_tokens: number; cached_tokens: number; cached_share: number }
  affinity: AffinityCounts
  overhead_ms: { p50: number | null; p95: number | null }
  /** From the store: every request recorded with this data dir, across restarts. */
  all_time: {
    since: string | null
    requests: number
    errors: number
    tokens_saved: number
    cost_usd: number
    cost_saved_usd: number
  }
}

export interface MetricsOptions {
  /** When this SmartSplit started: the counters count from then. */
  startedAtMs: number
  /** The store's totals over every request it recorded. */
  allTime: () => StoreTotals
}

const NO_TOTALS: StoreTotals = {
  sinceMs: null,
  requests: 0,
  errors: 0,
  freeTokens: 0,
  costUsd: 0,
  savedUsd: 0,
}

/**
 * Counters for GET /metrics, in JSON (the seed's shape) and in Prometheus text. One Registry per app,
 * never prom-client's global one, so two apps in one process keep separate books.
 */
export class Metrics {
  readonly registry = new Registry()
  readonly #providers = new Map<string, ProviderStats>()
  readonly #overhead = new LatencyWindow()
  #total = 0
  #enrich = 0
  #errors = 0
  #tokensSaved = 0
  #savedUsd = 0
  #costUsd = 0
  readonly #affinity: AffinityCounts = { new: 0, kept: 0, moved: 0, moved_by_reason: {} }
  readonly #affinityCounter: Counter<'decision' | 'reason'>
  readonly #cachedTokens: Counter<'provider'>
  #failovers = 0
  #paid = 0
  #tokensIn = 0
  #tokensOut = 0
  readonly #requestCounter: Counter<'route' | 'task' | 'provider' | 'outcome'>
  readonly #duration: Histogram<'provider' | 'task'>
  readonly #overheadHistogram: Histogram
  readonly #attemptCounter: Counter<'provider' | 'outcome'>
  readonly #tokens: Counter<'provider' | 'direction'>
  readonly #saved: Counter

  readonly #cacheCounts: () => { hits: number; misses: number }
  readonly #options: MetricsOptions

  /** `cacheCounts` reads the decompose (plan) cache's hits and misses. */
  constructor(
    cacheCounts: () => { hits: number; misses: number } = () => ({ hits: 0, misses: 0 }),
    options: MetricsOptions = { startedAtMs: 0, allTime: () => NO_TOTALS },
  ) {
    this.#cacheCounts = cacheCounts
    this.#options = options
    const registers = [this.registry]
    this.#requestCounter = new Counter({
      name: 'smartsplit_requests_total',
      help: 'Requests served since SmartSplit started, by route, task, answering provider and outcome',
      labelNames: ['route', 'task', 'provider', 'outcome'],
      registers,
    })
    this.#duration = new Histogram({
      name: 'smartsplit_request_duration_seconds',
      help: 'Whole request duration by answering provider and task',
      labelNames: ['provider', 'task'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers,
    })
    this.#overheadHistogram = new Histogram({
      name: 'smartsplit_overhead_seconds',
      help: "SmartSplit's own time before the first upstream call",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers,
    })
    this.#attemptCounter = new Counter({
      name: 'smartsplit_upstream_attempts_total',
      help: 'Upstream attempts by provider and outcome',
      labelNames: ['provider', 'outcome'],
      registers,
    })
    this.#tokens = new Counter({
      name: 'smartsplit_tokens_total',
      help: 'Tokens by answering provider and direction',
      labelNames: ['provider', 'direction'],
      registers,
    })
    this.#affinityCounter = new Counter({
      name: 'smartsplit_affinity_total',
      help: 'Requests by what conversation affinity did: new, kept, or moved (with the reason)',
      labelNames: ['decision', 'reason'],
      registers,
    })
    this.#cachedTokens = new Counter({
      name: 'smartsplit_cached_prompt_tokens_total',
      help: 'Prompt tokens served from a provider\'s prompt cache, by provider (smartsplit_tokens_total{direction="in"} counts them too)',
      labelNames: ['provider'],
      registers,
    })
    this.#saved = new Counter({
      name: 'smartsplit_saved_usd_total',
      help: 'What free answers would have cost at the reference price, since SmartSplit started',
      registers,
    })
    this.#registerAllTimeGauges()
  }

  /** The store's totals as gauges, read when scraped: they survive restarts, unlike the counters. */
  #registerAllTimeGauges(): void {
    const allTime = this.#options.allTime
    const gauges: [string, string, (totals: StoreTotals) => number][] = [
      [
        'smartsplit_all_time_requests',
        'Requests recorded with this data dir, across restarts',
        (t) => t.requests,
      ],
      [
        'smartsplit_all_time_errors',
        'Failed requests recorded with this data dir, across restarts',
        (t) => t.errors,
      ],
      [
        'smartsplit_all_time_saved_usd',
        'Saved at the reference price with this data dir, across restarts',
        (t) => t.savedUsd,
      ],
    ]
    for (const [name, help, read] of gauges) {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read(allTime()))
        },
      })
    }
  }

  /** Counts one finished request; `money` is its cost and saving, worked out once by the caller. */
  record(event: RequestFinished, money: { costUsd: number; savedUsd: number }): void {
    const { costUsd, savedUsd } = money
    this.#total++
    if (event.route === 'enrich') this.#enrich++
    if (event.outcome !== 'ok') this.#errors++
    const provider = event.provider ?? 'none'
    const task = event.tasks[0] ?? 'unknown'
    this.#requestCounter.inc({ route: event.route, task, provider, outcome: event.outcome })
    this.#overhead.add(event.overheadMs)
    this.#overheadHistogram.observe(event.overheadMs / 1000)
    for (const attempt of event.attempts) {
      this.#attemptCounter.inc({ provider: attempt.provider, outcome: attempt.outcome })
      const stats = this.#stats(attempt.provider)
      stats.requests++
      if (attempt.outcome !== 'ok') stats.errors++
      stats.promptTokens += attempt.tokensIn
      stats.cachedTokens += attempt.tokensCached
      if (attempt.tokensCached > 0)
        this.#cachedTokens.inc({ provider: attempt.provider }, attempt.tokensCached)
    }
    if (event.affinity !== null) this.#countAffinity(event.affinity)
    if (event.provider !== null && event.outcome === 'ok') {
      this.#stats(event.provider).latency.add(event.latencyMs)
      this.#duration.observe({ provider, task }, event.latencyMs / 1000)
      this.#tokens.inc({ provider, direction: 'in' }, event.tokensIn)
      this.#tokens.inc({ provider, direction: 'out' }, event.tokensOut)
      this.#costUsd += costUsd
      this.#savedUsd += savedUsd
      this.#tokensIn += event.tokensIn
      this.#tokensOut += event.tokensOut
      if (event.isPaid) this.#paid++
      if (failedAttempts(event.attempts) > 0) this.#failovers++
      this.#saved.inc(savedUsd)
      if (!event.isPaid) this.#tokensSaved += event.tokensIn + event.tokensOut
    }
  }

  #countAffinity(affinity: NonNullable<RequestFinished['affinity']>): void {
    const reason = affinity.reason ?? ''
    this.#affinity[affinity.decision]++
    if (affinity.decision === 'moved') {
      const byReason = this.#affinity.moved_by_reason
      byReason[reason] = (Object.hasOwn(byReason, reason) ? (byReason[reason] ?? 0) : 0) + 1
    }
    this.#affinityCounter.inc({ decision: affinity.decision, reason })
  }

  #stats(provider: string): ProviderStats {
    let stats = this.#providers.get(provider)
    if (stats === undefined) {
      stats = { requests: 0, errors: 0, latency: new LatencyWindow(), promptTokens: 0, cachedTokens: 0 }
      this.#providers.set(provider, stats)
    }
    return stats
  }

  snapshot(unhealthyProviders: string[]): MetricsSnapshot {
    const { hits, misses } = this.#cacheCounts()
    const lookups = hits + misses
    const allTime = this.#options.allTime()
    return {
      counts_since: new Date(this.#options.startedAtMs).toISOString(),
      requests: {
        total: this.#total,
        enrich: this.#enrich,
        respond: this.#total - this.#enrich,
        errors: this.#errors,
      },
      savings: {
        tokens_saved: this.#tokensSaved,
        cost_saved_usd: round(this.#savedUsd),
        cost_usd: round(this.#costUsd),
      },
      traffic: {
        failovers: this.#failovers,
        paid: this.#paid,
        tokens_in: this.#tokensIn,
        tokens_out: this.#tokensOut,
      },
      // The decompose (LLM planner) cache.
      cache: { hits, misses, hit_rate: lookups === 0 ? 0 : hits / lookups },
      circuit_breaker: { unhealthy_providers: unhealthyProviders },
      providers: Object.fromEntries(
        [...this.#providers].map(([name, stats]) => [
          name,
          {
            requests: stats.requests,
            errors: stats.errors,
            latency_ms: { p50: stats.latency.percentile(50), p95: stats.latency.percentile(95) },
            prompt_cache: cacheShare(stats.promptTokens, stats.cachedTokens),
          },
        ]),
      ),
      prompt_cache: cacheShare(
        sumOf([...this.#providers.values()], (stats) => stats.promptTokens),
        sumOf([...this.#providers.values()], (stats) => stats.cachedTokens),
      ),
      affinity: { ...this.#affinity, moved_by_reason: { ...this.#affinity.moved_by_reason } },
      overhead_ms: { p50: this.#overhead.percentile(50), p95: this.#overhead.percentile(95) },
      all_time: {
        since: allTime.sinceMs === null ? null : new Date(allTime.sinceMs).toISOString(),
        requests: allTime.requests,
        errors: allTime.errors,
        tokens_saved: allTime.freeTokens,
        cost_usd: round(allTime.costUsd),
        cost_saved_usd: round(allTime.savedUsd),
      },
    }
  }

  async prometheus(): Promise<string> {
    return await this.registry.metrics()
  }
}

const round = (usd: number): number => Math.round(usd * 1_000_000) / 1_000_000

const sumOf = <T>(items: readonly T[], pick: (item: T) => number): number =>
  items.reduce((total, item) => total + pick(item), 0)

function cacheShare(promptTokens: number, cachedTokens: number) {
  return {
    prompt_tokens: promptTokens,
    cached_tokens: cachedTokens,
    cached_share: promptTokens === 0 ? 0 : Math.round((cachedTokens / promptTokens) * 10_000) / 10_000,
  }
}
