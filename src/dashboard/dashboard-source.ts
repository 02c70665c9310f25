import type { ProviderConfig } from '../config/types.js'
import type { MetricsSnapshot } from '../metrics/metrics.js'
import type { ArmRecord, Store } from '../state/store/types.js'
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
/** Requests the requests page starts with. */
export const RECENT_REQUESTS = 500

/** The views of the dashboard, each computed when asked for. */
export function createDashboardSource(inputs: DashboardInputs): DashboardSource {
  const overview = (): OverviewView => {
    const nowMs = inputs.nowMs()
    const seriesOf = (name: SeriesName) => {
      const { bucketMs, count } = SERIES[name]
      const buckets = inputs.store.timeline(seriesStartMs(name, nowMs), bucketMs)
      return fillSeries(buckets, nowMs, bucketMs, count)
    }
    const series = { hour: seriesOf('hour'), day: seriesOf('day'), month: seriesOf('month') }
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
