import type { ProviderConfig } from '../config/types.js'
import type { MetricsSnapshot } from '../metrics/metrics.js'
import type { Candidate } from '../pipeline/route/types.js'
import type { RoutePlan, RunContext } from '../pipeline/run.js'
import type { DailySavings, StoreHealth } from '../state/store/types.js'
import type { HealthReport } from '../state/types.js'

export interface RequestLogEntry {
  path: string
  status: number
  plan: RoutePlan | null
  candidate: Candidate | null
  error: unknown
}

/** What the HTTP layer needs from the rest of the app; built by app.ts. */
export interface HttpServices {
  runContext(): RunContext
  providers: readonly ProviderConfig[]
  mode: string
  keepaliveMs: number
  bodyLimitBytes: number
  startedAtMs: number
  nowMs(): number
  redact(text: string): string
  metrics(): MetricsSnapshot
  providerHealth(): HealthReport
  prometheus(): Promise<string>
  savings(sinceDay: string): DailySavings[]
  storeHealth(): StoreHealth
  savingsReference: { model: string; inputPerMillion: number; outputPerMillion: number }
  logRequest(entry: RequestLogEntry): void
  logError(error: unknown): void
}
