import { Gauge, Histogram, Registry } from 'prom-client'
import { failedAttempts } from '../state/store/failed-attempts.js'
import type { StoreTotals } from '../state/store/types.js'
import { exposeAsCounter, LabeledCounts } from './labeled-counts.js'
import { LatencyWindow } from './latency-window.js'
import type { RequestFinished } from './types.js'

interface ProviderStats {
  latency: LatencyWindow
  /** Prompt tokens of this provider's calls (how many its cache served is in `cachedTokens`). */
  promptTokens: number
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
 * Counters for GET /metrics, in JSON (the seed's shape) and in Prometheus text. Each figure is counted
 * once, in a LabeledCounts both views read. One Registry per app, never prom-client's global one, so two
 * apps in one process keep separate books.
 */
export class Metrics {
  readonly registry = new Registry()
  readonly #providers = new Map<string, ProviderStats>()
  readonly #overhead = new LatencyWindow()
  readonly #requests = new LabeledCounts(['route', 'task', 'provider', 'outcome'] as const)
  readonly #attempts = new LabeledCounts(['provider', 'outcome'] as const)
  readonly #tokens = new LabeledCounts(['provider', 'direction'] as const)
  readonly #cachedTokens = new LabeledCounts(['provider'] as const)
  readonly #affinity = new LabeledCounts(['decision', 'reason'] as const)
  readonly #saved = new LabeledCounts<never>([])
  // JSON only: what paid answers cost, free tokens, failovers and paid answers.
  #costUsd = 0
  #tokensSaved = 0
  #failovers = 0
  #paid = 0
  readonly #duration: Histogram<'provider' | 'task'>
  readonly #overheadHistogram: Histogram

  readonly #cacheCounts: () => { hits: number; misses: number }
  readonly #options: MetricsOptions

  /** `cacheCounts` reads the decompose (plan) cache's hits and misses. */
  constructor(
    cacheCounts: () => { hits: number; misses: number } = () => ({ hits: 0, misses: 0 }),
    options: MetricsOptions = { startedAtMs: 0, allTime: () => NO_TOTALS },
  ) {
    this.#cacheCounts = cacheCounts
    this.#options = options
    const registry = this.registry
    exposeAsCounter(this.#requests, {
      name: 'smartsplit_requests_total',
      help: 'Requests served since SmartSplit started, by route, task, answering provider and outcome',
      registry,
    })
    this.#duration = new Histogram({
      name: 'smartsplit_request_duration_seconds',
      help: 'Whole request duration by answering provider and task',
      labelNames: ['provider', 'task'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
      registers: [registry],
    })
    this.#overheadHistogram = new Histogram({
      name: 'smartsplit_overhead_seconds',
      help: "SmartSplit's own time before the first upstream call",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers: [registry],
    })
    exposeAsCounter(this.#attempts, {
      name: 'smartsplit_upstream_attempts_total',
      help: 'Upstream attempts by provider and outcome',
      registry,
    })
    exposeAsCounter(this.#tokens, {
      name: 'smartsplit_tokens_total',
      help: 'Tokens by answering provider and direction',
      registry,
    })
    exposeAsCounter(this.#affinity, {
      name: 'smartsplit_affinity_total',
      help: 'Requests by what conversation affinity did: new, kept, or moved (with the reason)',
      registry,
    })
    exposeAsCounter(this.#cachedTokens, {
      name: 'smartsplit_cached_prompt_tokens_total',
      help: 'Prompt tokens served from a provider\'s prompt cache, by provider (smartsplit_tokens_total{direction="in"} counts them too)',
      registry,
    })
    exposeAsCounter(this.#saved, {
      name: 'smartsplit_saved_usd_total',
      help: 'What free answers would have cost at the reference price, since SmartSplit started',
      registry,
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
        // Every worker of --workers reads the same store: summing their readings would count it N times.
        aggregator: 'first',
        collect() {
          this.set(read(allTime()))
        },
      })
    }
  }

  /** Counts one finished request; `money` is its cost and saving, worked out once by the caller. */
  record(event: RequestFinished, money: { costUsd: number; savedUsd: number }): void {
    const { costUsd, savedUsd } = money
    const provider = event.provider ?? 'none'
    const task = event.tasks[0] ?? 'unknown'
    this.#requests.add({ route: event.route, task, provider, outcome: event.outcome })
    this.#overhead.add(event.overheadMs)
    this.#overheadHistogram.observe(event.overheadMs / 1000)
    for (const attempt of event.attempts) {
      this.#attempts.add({ provider: attempt.provider, outcome: attempt.outcome })
      this.#stats(attempt.provider).promptTokens += attempt.tokensIn
      if (attempt.tokensCached > 0)
        this.#cachedTokens.add({ provider: attempt.provider }, attempt.tokensCached)
    }
    if (event.affinity !== null) this.#countAffinity(event.affinity)
    if (event.provider !== null && event.outcome === 'ok') {
      this.#stats(event.provider).latency.add(event.latencyMs)
      this.#duration.observe({ provider, task }, event.latencyMs / 1000)
      this.#tokens.add({ provider, direction: 'in' }, event.tokensIn)
      this.#tokens.add({ provider, direction: 'out' }, event.tokensOut)
      this.#costUsd += costUsd
      if (event.isPaid) this.#paid++
      if (failedAttempts(event.attempts) > 0) this.#failovers++
      this.#saved.add({}, savedUsd)
      if (!event.isPaid) this.#tokensSaved += event.tokensIn + event.tokensOut
    }
  }

  #countAffinity(affinity: NonNullable<RequestFinished['affinity']>): void {
    this.#affinity.add({ decision: affinity.decision, reason: affinity.reason ?? '' })
  }

  #affinityCounts(): AffinityCounts {
    const moved = this.#affinity.sumBy('reason', { decision: 'moved' })
    return {
      new: this.#affinity.sum({ decision: 'new' }),
      kept: this.#affinity.sum({ decision: 'kept' }),
      moved: this.#affinity.sum({ decision: 'moved' }),
      // A plain object for the JSON, built from a Map: a reason is never looked up in it.
      moved_by_reason: Object.fromEntries(moved),
    }
  }

  #stats(provider: string): ProviderStats {
    let stats = this.#providers.get(provider)
    if (stats === undefined) {
      stats = { latency: new LatencyWindow(), promptTokens: 0 }
      this.#providers.set(provider, stats)
    }
    return stats
  }

  snapshot(unhealthyProviders: string[]): MetricsSnapshot {
    const { hits, misses } = this.#cacheCounts()
    const lookups = hits + misses
    const allTime = this.#options.allTime()
    const total = this.#requests.sum()
    const enrich = this.#requests.sum({ route: 'enrich' })
    const attempts = this.#attempts.sumBy('provider')
    const okAttempts = this.#attempts.sumBy('provider', { outcome: 'ok' })
    const cached = this.#cachedTokens.sumBy('provider')
    return {
      counts_since: new Date(this.#options.startedAtMs).toISOString(),
      requests: {
        total,
        enrich,
        respond: total - enrich,
        errors: total - this.#requests.sum({ outcome: 'ok' }),
      },
      savings: {
        tokens_saved: this.#tokensSaved,
        cost_saved_usd: round(this.#saved.sum()),
        cost_usd: round(this.#costUsd),
      },
      traffic: {
        failovers: this.#failovers,
        paid: this.#paid,
        tokens_in: this.#tokens.sum({ direction: 'in' }),
        tokens_out: this.#tokens.sum({ direction: 'out' }),
      },
      // The decompose (LLM planner) cache.
      cache: { hits, misses, hit_rate: lookups === 0 ? 0 : hits / lookups },
      circuit_breaker: { unhealthy_providers: unhealthyProviders },
      providers: Object.fromEntries(
        [...this.#providers].map(([name, stats]) => [
          name,
          {
            requests: attempts.get(name) ?? 0,
            errors: (attempts.get(name) ?? 0) - (okAttempts.get(name) ?? 0),
            latency_ms: { p50: stats.latency.percentile(50), p95: stats.latency.percentile(95) },
            prompt_cache: cacheShare(stats.promptTokens, cached.get(name) ?? 0),
          },
        ]),
      ),
      prompt_cache: cacheShare(
        sumOf([...this.#providers.values()], (stats) => stats.promptTokens),
        this.#cachedTokens.sum(),
      ),
      affinity: this.#affinityCounts(),
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
