import type { ProviderConfig } from '../config/types.js'
import type { DashboardFeed } from '../dashboard/dashboard-feed.js'
import type { DashboardSource } from '../dashboard/dashboard-source.js'
import type { MetricsSnapshot } from '../metrics/metrics.js'
import type { Pipeline } from '../pipeline/run.js'
import type { DailySavings, PromptCacheRow, StoreHealth } from '../state/store/types.js'
import type { HealthReport } from '../state/types.js'
import type { InFlight } from './in-flight.js'

/** A finished response (or a client that left), for the request's log line. */
export interface RequestLogEntry {
  requestId: string
  method: string
  path: string
  status: number
  receivedAtMs: number
  /** Who sent it: the User-Agent, shortened to printable text; null without one. */
  client: string | null
  /** What failed; null when nothing did. */
  error: unknown
}

/** What the HTTP layer needs from the rest of the app; built by app.ts. */
export interface HttpServices {
  /** The requests being served, each with the signal its work runs under. */
  inFlight: InFlight
  pipeline: Pipeline
  providers: readonly ProviderConfig[]
  mode: string
  /** What smartsplit-embed stands for (`provider/model`), or null when no provider has embeddings. */
  embeddingModel: string | null
  keepaliveMs: number
  bodyLimitBytes: number
  startedAtMs: number
  nowMs(): number
  /** A random token for ids the dialects invent (resp_…, msg_…). */
  token(length: number): string
  redact(text: string): string
  metrics(): MetricsSnapshot
  providerHealth(): HealthReport
  prometheus(): Promise<string>
  savings(sinceDay: string): DailySavings[]
  /** Per provider since that day: prompt tokens and those its prompt cache served. */
  promptCache(sinceDay: string): PromptCacheRow[]
  storeHealth(): StoreHealth
  /** Where provider state lives: "local", "redis …", or "local (redis unreachable since …)". */
  sharedState(): string
  savingsReference: { model: string; inputPerMillion: number; outputPerMillion: number }
  /** A new id for a request, returned as x-request-id and carried into its log line. */
  newRequestId(): string
  logRequest(entry: RequestLogEntry): void
  logError(error: unknown): void
  /** What GET /dashboard shows, and its live updates. */
  dashboard: { source: DashboardSource; feed: DashboardFeed }
}
