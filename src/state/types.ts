import type { QuotaKind, UpstreamFailureKind } from '../errors.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'
import type { CapacitySummary } from './capacity-advice.js'

/** One place an attempt can go: a provider, a model on it and one of its keys (index into apiKeys). */
export interface AttemptTarget {
  provider: string
  model: string
  keyIndex: number
}

/**
 * Whether a target can take a request now, and if not, until when and why.
 * - `ok`: usable; `half_open`: the breaker lets one probe through (none may be in flight)
 * - `cooldown`: rate-limited for a while (a 429, or the local per-minute count is spent)
 * - `open`: the breaker tripped after repeated failures; `quota`: a daily quota is spent until its reset
 * - `disabled`: the key was rejected (401/403) or has no credits (402) — until the config changes
 */
export type AvailabilityState = 'ok' | 'half_open' | 'cooldown' | 'open' | 'quota' | 'disabled'

export interface Availability {
  state: AvailabilityState
  /** When the target becomes usable again; null when it is usable or only a config change helps. */
  untilMs: number | null
  reason: string | null
}

/** What is left of each window; null when the limit is unknown or there is none. */
export interface RemainingCapacity {
  requestsMinute: number | null
  requestsDay: number | null
  tokensMinute: number | null
  tokensDay: number | null
}

/** The limits counted against, after configuration and what providers reported; null = unlimited/unknown. */
export interface EffectiveLimits {
  rpm: number | null
  rpd: number | null
  tpm: number | null
  tpd: number | null
}

/** What happened on one attempt: the fields of an AttemptRecord the state layer reads. */
export interface AttemptOutcome {
  outcome: 'ok' | UpstreamFailureKind
  retryAfterMs?: number | null
  limits?: RateLimitReading | null
  /** Tokens the call actually consumed (prompt + completion); null keeps the estimate. */
  usageTokens?: number | null
  quotaKind?: QuotaKind | null
  status?: number | null
  message?: string | null
}

/** One target as the router sees it. */
export interface TargetView {
  target: AttemptTarget
  availability: Availability
  remaining: RemainingCapacity
  limits: EffectiveLimits
  /** True when beginAttempt would hand out a slot for a small request right now. */
  isUsable: boolean
  /** 0..1: health (breaker, recent failures) times the smallest fraction of quota left. */
  score: number
}

/** A read view frozen at `atMs`; the pure router ranks candidates from it. */
export interface StateSnapshot {
  atMs: number
  targets: readonly TargetView[]
  /** The view of one target; targets never seen are reported fresh (ok, full capacity). */
  view(target: AttemptTarget): TargetView
  /** True while the provider has said it no longer serves the model (routing takes its next one). */
  isRetired(provider: string, model: string): boolean
}

export interface KeyHealth {
  /** "key 1", "key 2"… never the key itself. */
  key: string
  /** Last four characters, for telling keys apart ("…a1b2"); null for short or absent keys. */
  keyHint: string | null
  state: AvailabilityState
  untilMs: number | null
  /** `untilMs` as an ISO 8601 date, for humans. */
  until: string | null
  reason: string | null
  /** The quota pool the key draws on; keys of one pool share remaining and limits. */
  pool: string
  remaining: RemainingCapacity
  limits: EffectiveLimits
}

export interface ModelHealth {
  model: string
  breaker: { state: 'closed' | 'open' | 'half_open'; untilMs: number | null; recentFailures: number }
  keys: KeyHealth[]
}

export interface ProviderHealth {
  provider: string
  /** IANA zone whose midnight resets the daily quotas. */
  dailyResetZone: string
  nextDailyResetMs: number
  /** How the keys add up: who owns the limits, the pools, and how to really add capacity. */
  capacity: CapacitySummary
  /** Models this provider answered "not found" or "decommissioned" for, until their recheck. */
  retiredModels: { model: string; reason: string; since: string; recheckAt: string }[]
  models: ModelHealth[]
}

/** The shape GET /health shows: per provider, model and key. */
export interface HealthReport {
  atMs: number
  providers: ProviderHealth[]
}

/** One reservation's share of the per-minute window; mutated in place when it is settled. */
export interface MinuteEntry {
  atMs: number
  requests: number
  tokens: number
}

/** One target's usage as plain JSON, for a store to keep daily counts across restarts. */
export interface UsageCounters {
  day: { endMs: number; requests: number; tokens: number }
  minute: MinuteEntry[]
}

/** One call's claim on a target: its tokens reserved and, when the breaker is half-open, its probe. */
export interface Lease {
  readonly isProbe: boolean
  /** The call happened: settles the reservation with real usage and applies the outcome. Once only. */
  settle(outcome: AttemptOutcome): void
  /** The call never reached the provider: gives the reservation and the probe slot back. */
  release(): void
}

/** A lease for one call, or why the target cannot take it now. */
export type Admission = { lease: Lease } | { refused: Availability }
