// The state layer's one storage interface. SQLite (embedded, default) and memory (tests, --data-dir none)
// implement it now; Redis can later, for several instances. Nothing outside state/ knows the backend.

export interface RequestRecord {
  timeMs: number
  route: 'respond' | 'enrich'
  mode: string
  tasks: string[]
  providersTried: string[]
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
  recentRequests(limit: number): RequestRecord[]
  totals(): StoreTotals
  /** A named JSON document (queued like every other write). */
  saveDocument(key: string, value: unknown): void
  loadDocument(key: string): unknown
  /** Writes everything queued now; a failed write is kept for the next attempt and shown by `health`. */
  flush(): void
  health(): StoreHealth
  close(): void
}
