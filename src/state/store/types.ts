// The state layer's one storage interface. SQLite (embedded, default) and memory (tests, --data-dir none)
// implement it now; Redis can later, for several instances. Nothing outside state/ knows the backend.

/** One call a request made or passed over, as the request log keeps it. */
export interface RecordedAttempt {
  provider: string
  model: string
  keyIndex: number
  outcome: string
  latencyMs: number
}

export interface RequestRecord {
  /** The request's x-request-id; null when it did not come over HTTP. */
  requestId: string | null
  /** The path it came in on (/v1/chat/completions…); null when it did not come over HTTP. */
  endpoint: string | null
  timeMs: number
  route: 'respond' | 'enrich'
  mode: string
  tasks: string[]
  providersTried: string[]
  /** Every call with its outcome and latency, in order. */
  attempts: RecordedAttempt[]
  provider: string | null
  model: string | null
  tokensIn: number
  tokensOut: number
  /** True when the provider reported no usage and SmartSplit counted with its tokenizer. */
  tokensEstimated: boolean
  latencyMs: number
  firstTokenMs: number | null
  outcome: string
  costUsd: number
  savedUsd: number
  /** Only kept when log_prompts is on. */
  prompt: string | null
  /** The HTTP status answered, once the response is done (see `noteResponse`); null until then. */
  status: number | null
  /** Who sent it (the User-Agent, shortened), once the response is done; null until then. */
  client: string | null
}

/** A request as read back from the log, with its position for reading on from it. */
export interface StoredRequest extends RequestRecord {
  /** Increases with every request recorded. */
  id: number
}

/** What the HTTP layer adds to a recorded request once its response is done. */
export interface ResponseNote {
  status: number
  client: string | null
}

/** Requests, outcomes, tokens and savings in one time bucket of the request log. */
export interface TimelineBucket {
  startMs: number
  requests: number
  errors: number
  /** Requests answered after at least one provider failed them. */
  failovers: number
  tokensIn: number
  tokensOut: number
  /** Requests answered by a paid provider (cost > 0). */
  paid: number
  savedUsd: number
}

/** How many requests of one task a provider's model answered, by route. */
export interface ServedShare {
  task: string
  provider: string | null
  model: string | null
  route: 'respond' | 'enrich'
  /** True when the request was split into several parts. */
  isSplit: boolean
  requests: number
}

export interface UsageDelta {
  /** YYYY-MM-DD in the provider's quota day. */
  day: string
  provider: string
  model: string
  keyIndex: number
  requests: number
  tokensIn: number
  tokensOut: number
  /** Prompt tokens the provider's prompt cache served (part of tokensIn). */
  tokensCached: number
}

export interface UsageRow extends UsageDelta {}

/** One provider's prompt tokens over a period, and how many its prompt cache served. */
export interface PromptCacheRow {
  provider: string
  promptTokens: number
  cachedTokens: number
}

export interface ArmRecord {
  task: string
  provider: string
  model: string
  pulls: number
  rewardSum: number
  /** Sum of squared rewards (UCB1-Tuned's variance); absent in stores written before schema v4. */
  rewardSquareSum?: number
}

export interface DailySavings {
  day: string
  requests: number
  freeTokensIn: number
  freeTokensOut: number
  costUsd: number
  savedUsd: number
}

/** Sums over every request the store ever recorded (the request log itself keeps retention_days). */
export interface StoreTotals {
  /** The first request recorded, or null before any. */
  sinceMs: number | null
  requests: number
  errors: number
  /** Tokens in and out of requests that cost nothing. */
  freeTokens: number
  costUsd: number
  savedUsd: number
}

/** How the store is doing, for GET /health: writes that fail are kept and retried, never fatal. */
export interface StoreHealth {
  backend: 'sqlite' | 'memory'
  state: 'ok' | 'degraded'
  /** What is wrong and what to do about it, when degraded. */
  problem: string | null
  /** Writes waiting for the disk, kept for the next attempt. */
  pendingWrites: number
  /** Writes given up because the disk failed for so long that the queue filled. */
  droppedWrites: number
}

export interface Store {
  /** Queued and written in batches, off the request's hot path. */
  recordRequest(record: RequestRecord): void
  addUsage(delta: UsageDelta): void
  saveArms(arms: readonly ArmRecord[]): void
  loadUsage(day: string): UsageRow[]
  loadArms(): ArmRecord[]
  dailySavings(sinceDay: string): DailySavings[]
  /** Per provider, from `sinceDay` (its quota day) on: prompt tokens and those served from its cache. */
  promptCache(sinceDay: string): PromptCacheRow[]
  recentRequests(limit: number): StoredRequest[]
  /** Requests recorded after the one with `afterId`, oldest first, at most `limit`. */
  requestsAfter(afterId: number, limit: number): StoredRequest[]
  /** Adds the HTTP status and client to a recorded request (or to one still queued). */
  noteResponse(requestId: string, note: ResponseNote): void
  /** The request log from `sinceMs` on, in buckets of `bucketMs` (empty buckets left out). */
  timeline(sinceMs: number, bucketMs: number): TimelineBucket[]
  /** Who answered what from `sinceMs` on: counts by task, provider, model and route. */
  servedShares(sinceMs: number): ServedShare[]
  totals(): StoreTotals
  /** A named JSON document (queued like every other write). */
  saveDocument(key: string, value: unknown): void
  loadDocument(key: string): unknown
  /** Writes everything queued now; a failed write is kept for the next attempt and shown by `health`. */
  flush(): void
  health(): StoreHealth
  close(): void
}
