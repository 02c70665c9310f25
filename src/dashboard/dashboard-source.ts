import type { ProviderConfig } from '../config/types.js'
import type { MetricsSnapshot } from '../metrics/metrics.js'
import type { ArmRecord, Store, TimelineBucket } from '../state/store/types.js'
import type { HealthReport } from '../state/types.js'
import type { AttemptWindow } from './attempt-window.js'
import { buildOverview, fillSeries, SERIES, type SeriesName, seriesStartMs } from './build-overview.js'
import { buildProviderViews } from './build-provider-views.js'
import { buildRoutingView } from './build-routing-view.js'
import { toRequestView } from './to-request-view.js'
import type {
  ConfigView,
  DashboardSnapshot,
  OverviewView,
  ProviderView,
  RequestView,
  RoutingView,
} from './types.js'

/** What the dashboard reads from the running app; every function is read at call time (config reloads). */
export interface DashboardInputs {
  nowMs(): number
  metrics(): MetricsSnapshot
  health(): HealthReport
  providers(): readonly ProviderConfig[]
  store: Pick<Store, 'timeline' | 'servedShares' | 'recentRequests' | 'requestsAfter'>
  arms(): ArmRecord[]
  prior(task: string, provider: string, model: string): number
  quality(task: string, provider: string, model: string, prior: number): number
  attempts: AttemptWindow
  config(): ConfigView
}

export interface DashboardSource {
  snapshot(): DashboardSnapshot
  overview(): OverviewView
  /** The overview's headline figures alone (from /metrics), without its charts. */
  totals(): Omit<OverviewView, 'series' | 'requestsPerMinute'>
  providers(): ProviderView[]
  routing(): RoutingView
  /** The newest `limit` requests, newest first. */
  recentRequests(limit: number): RequestView[]
  /** Requests recorded after `afterId`, oldest first. */
  requestsAfter(afterId: number, limit: number): RequestView[]
  config(): ConfigView
  /** Cheap: changes whenever a request finished (the feed recomputes the rest only then). */
  requestCount(): number
}

const DAY_MS = 86_400_000
const NO_SERIES: OverviewView['series'] = { hour: [], day: [], month: [] }
/** How long each chart's buckets are reused before the log is read again. */
const SERIES_TTL_MS: Readonly<Record<SeriesName, number>> = { hour: 0, day: 60_000, month: 300_000 }
/** Requests the requests page starts with. */
export const RECENT_REQUESTS = 500

/** The views of the dashboard, each computed when asked for. */
export function createDashboardSource(inputs: DashboardInputs): DashboardSource {
  // The longer windows scan more of the log and change little from one minute to the next.
  const cache = new Map<SeriesName, { atMs: number; buckets: TimelineBucket[] }>()
  const seriesOf = (name: SeriesName, nowMs: number): TimelineBucket[] => {
    const { bucketMs, count } = SERIES[name]
    const cached = cache.get(name)
    if (cached !== undefined && nowMs - cached.atMs < SERIES_TTL_MS[name]) return cached.buckets
    const found = inputs.store.timeline(seriesStartMs(name, nowMs), bucketMs)
    const buckets = fillSeries(found, nowMs, bucketMs, count)
    cache.set(name, { atMs: nowMs, buckets })
    return buckets
  }
  const overview = (): OverviewView => {
    const nowMs = inputs.nowMs()
    const series = {
      hour: seriesOf('hour', nowMs),
      day: seriesOf('day', nowMs),
      month: seriesOf('month', nowMs),
    }
    return buildOverview(inputs.metrics(), series, nowMs)
  }
  const providers = (): ProviderView[] =>
    buildProviderViews({
      providers: inputs.providers(),
      health: inputs.health(),
      activity: inputs.attempts.summary(inputs.nowMs()),
      arms: inputs.arms(),
    })
  const routing = (): RoutingView => {
    const sinceMs = inputs.nowMs() - DAY_MS
    return buildRoutingView({
      sinceMs,
      shares: inputs.store.servedShares(sinceMs),
      prior: inputs.prior,
      quality: inputs.quality,
    })
  }
  const recentRequests = (limit: number): RequestView[] =>
    inputs.store.recentRequests(limit).map(toRequestView)
  return {
    overview,
    totals: () => {
      const overview = buildOverview(inputs.metrics(), NO_SERIES, inputs.nowMs())
      const { series: _series, requestsPerMinute: _perMinute, ...totals } = overview
      return totals
    },
    providers,
    routing,
    recentRequests,
    requestsAfter: (afterId, limit) => inputs.store.requestsAfter(afterId, limit).map(toRequestView),
    config: inputs.config,
    requestCount: () => inputs.attempts.requestsSeen,
    snapshot: () => ({
      atMs: inputs.nowMs(),
      overview: overview(),
      providers: providers(),
      routing: routing(),
      requests: recentRequests(RECENT_REQUESTS),
      config: inputs.config(),
    }),
  }
}
