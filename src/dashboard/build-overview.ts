import type { MetricsSnapshot } from '../metrics/metrics.js'
import { emptyTimelineBucket } from '../state/store/summarize-requests.js'
import type { TimelineBucket } from '../state/store/types.js'
import type { OverviewView } from './types.js'

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

/** The three windows the overview charts: the last hour by minute, day by half hour, 30 days by day. */
export const SERIES = {
  hour: { bucketMs: MINUTE_MS, count: 60 },
  day: { bucketMs: 30 * MINUTE_MS, count: 48 },
  month: { bucketMs: DAY_MS, count: 30 },
} as const

export type SeriesName = keyof typeof SERIES

/** `count` buckets ending with the one holding `nowMs`, empty ones filled with zeros. */
export function fillSeries(
  buckets: readonly TimelineBucket[],
  nowMs: number,
  bucketMs: number,
  count: number,
): TimelineBucket[] {
  const byStart = new Map(buckets.map((bucket) => [bucket.startMs, bucket]))
  const last = Math.floor(nowMs / bucketMs) * bucketMs
  const filled: TimelineBucket[] = []
  for (let i = count - 1; i >= 0; i--) {
    const startMs = last - i * bucketMs
    filled.push(byStart.get(startMs) ?? emptyTimelineBucket(startMs))
  }
  return filled
}

/** The first moment of the window a series covers. */
export const seriesStartMs = (name: SeriesName, nowMs: number): number => {
  const { bucketMs, count } = SERIES[name]
  return Math.floor(nowMs / bucketMs) * bucketMs - (count - 1) * bucketMs
}

/** Headline figures from /metrics (so the two always agree) and the charts from the request log. */
export function buildOverview(
  metrics: MetricsSnapshot,
  series: OverviewView['series'],
  nowMs: number,
): OverviewView {
  const { total, errors } = metrics.requests
  const answered = total - errors
  const lastFive = series.hour.filter((bucket) => bucket.startMs > nowMs - 5 * MINUTE_MS)
  const recent = lastFive.reduce((sum, bucket) => sum + bucket.requests, 0)
  return {
    countsSince: metrics.counts_since,
    requests: total,
    errors,
    successRate: total === 0 ? null : answered / total,
    failovers: metrics.traffic.failovers,
    tokensIn: metrics.traffic.tokens_in,
    tokensOut: metrics.traffic.tokens_out,
    paid: metrics.traffic.paid,
    freeShare: answered === 0 ? null : (answered - metrics.traffic.paid) / answered,
    savedUsd: metrics.savings.cost_saved_usd,
    costUsd: metrics.savings.cost_usd,
    requestsPerMinute: Math.round((recent / 5) * 10) / 10,
    allTime: metrics.all_time,
    series,
  }
}
