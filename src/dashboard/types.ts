// What the dashboard shows, as the server sends it (GET /dashboard/api/snapshot and the SSE events).
// Every string in here may come from a request or a provider: the page sets it as text, never as markup.

import type { MetricsSnapshot } from '../metrics/metrics.js'
import type { RecordedAttempt, TimelineBucket } from '../state/store/types.js'
import type { AvailabilityState, EffectiveLimits, RemainingCapacity } from '../state/types.js'

export interface OverviewView {
  /** The counts below are since this moment (the start of this SmartSplit), as /metrics counts them. */
  countsSince: string
  requests: number
  errors: number
  /** Answered / all, 0..1; null before any request. */
  successRate: number | null
  failovers: number
  tokensIn: number
  tokensOut: number
  paid: number
  /** Share of answered requests that cost nothing, 0..1; null before any. */
  freeShare: number | null
  savedUsd: number
  costUsd: number
  /** Requests per minute over the last five minutes, from the request log. */
  requestsPerMinute: number
  allTime: MetricsSnapshot['all_time']
  /** Zero-filled: the last hour by minute, the last day by half hour, the last 30 days by day. */
  series: { hour: TimelineBucket[]; day: TimelineBucket[]; month: TimelineBucket[] }
}

export interface KeyView {
  /** "key 1", "key 2"… */
  key: string
  /** Last four characters of a long key, as /health shows it. */
  hint: string | null
  /** A short SHA-256 prefix of the key: tells keys apart without revealing them. */
  fingerprint: string | null
  state: AvailabilityState
  untilMs: number | null
  reason: string | null
  pool: string
  remaining: RemainingCapacity
  limits: EffectiveLimits
}

export interface ModelView {
  model: string
  breaker: { state: 'closed' | 'open' | 'half_open'; untilMs: number | null; recentFailures: number }
  /** The last hour. */
  calls: number
  latencyP50Ms: number | null
  latencyP95Ms: number | null
  errors: Record<string, number>
  /** Mean reward the learner has seen for this model over all tasks (0..1), and from how many calls. */
  learned: { score: number; calls: number } | null
  keys: KeyView[]
}

export interface ProviderView {
  name: string
  tier: string
  enabled: boolean
  /** Why a configured provider is not used. */
  disabledReason: string | null
  dailyResetZone: string | null
  nextDailyResetMs: number | null
  capacityAdvice: string | null
  retiredModels: { model: string; reason: string; since: string; recheckAt: string }[]
  models: ModelView[]
}

export interface RoutingRow {
  provider: string
  model: string
  requests: number
  /** Of the task's answered requests, 0..1. */
  share: number
  /** The routing prior (evidence or the user's row), 0..1. */
  prior: number
  /** What the learner adds to (or takes from) the prior when ranking. */
  learnedAdjustment: number
}

export interface RoutingView {
  /** The window the counts cover. */
  sinceMs: number
  tasks: { task: string; requests: number; failed: number; rows: RoutingRow[] }[]
  split: number
  enrich: number
  single: number
}

export interface RequestView {
  id: number
  requestId: string | null
  timeMs: number
  endpoint: string | null
  client: string | null
  task: string
  tasks: string[]
  route: 'single' | 'split' | 'enrich'
  mode: string
  provider: string | null
  model: string | null
  attempts: RecordedAttempt[]
  latencyMs: number
  firstTokenMs: number | null
  tokensIn: number
  tokensOut: number
  tokensEstimated: boolean
  status: number | null
  outcome: string
  savedUsd: number
  /** Only with log_prompts: true. */
  prompt: string | null
}

/** How the running config was loaded, and the last reload that was refused. */
export interface ConfigView {
  source: string | null
  mode: string
  loadedAtMs: number
  reloads: number
  lastError: { message: string; atMs: number } | null
  /** Settings changed in the file that only a restart applies. */
  needsRestart: string[]
  logPrompts: boolean
}

export interface DashboardSnapshot {
  atMs: number
  overview: OverviewView
  providers: ProviderView[]
  routing: RoutingView
  requests: RequestView[]
  config: ConfigView
}
