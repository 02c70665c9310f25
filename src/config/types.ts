import type { CatalogEntry, FreeTierLimits, ModelInfo } from '../providers/catalog.js'
import type { Dialect, ProviderQuirks } from '../providers/types.js'
import type { UpstreamReadLimits } from '../providers/upstream-read-limits.js'
import type { Mode } from './schema.js'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** One LLM provider after merging catalog defaults, the config file and the environment. */
export interface ProviderConfig {
  name: string
  dialect: Dialect
  tier: CatalogEntry['tier']
  enabled: boolean
  /** Why a configured provider is not used, phrased as what to do about it. */
  disabledReason: string | null
  baseUrl: string
  apiKeys: string[]
  model: string
  fastModel: string
  strongModel: string
  temperature: number | null
  maxTokens: number | null
  modelInfo: ModelInfo
  quirks: ProviderQuirks
  limits: FreeTierLimits
  extraHeaders: Record<string, string>
  keyEnv: string | null
  keyUrl: string
}

export interface SearchProviderConfig {
  name: string
  apiKeys: string[]
  baseUrl: string | null
  maxResults: number
}

export interface ServerConfig {
  host: string
  port: number
  bodyLimitBytes: number
  /** Keys clients must present ($SMARTSPLIT_API_KEY and server.api_keys); empty means no check. */
  apiKeys: string[]
  /** Browser origins answered with CORS headers; empty means none ("*" means any). */
  corsOrigins: string[]
  maxMessages: number
  /** Content parts across the conversation, tools, schema properties in them, metadata keys. */
  maxContentParts: number
  maxTools: number
  maxToolProperties: number
  maxMetadataKeys: number
  maxHeaderBytes: number
  /** Receiving the whole request (headers and body); the response, streamed or not, is not limited. */
  requestTimeoutMs: number
  headersTimeoutMs: number
  keepAliveTimeoutMs: number
  /** Requests in flight per client address; 0 means unlimited. */
  maxConcurrentPerClient: number
  /** On SIGTERM/SIGINT, how long in-flight requests may take to finish before they are cut. */
  shutdownGraceMs: number
}

export interface Config {
  mode: Mode
  freeLlmPriority: string[]
  /** Routing-table rows overridden in the config file, by task ("cerebras = gemini" groups). */
  routing: Partial<Record<string, string[]>>
  /** Every known provider, enabled or not, free ones in priority order first. */
  providers: ProviderConfig[]
  search: SearchProviderConfig[]
  server: ServerConfig
  timeouts: { connectMs: number; firstByteMs: number; idleMs: number; keepaliveMs: number }
  upstreamLimits: UpstreamReadLimits
  logLevel: LogLevel
  dataDir: string
  store: 'sqlite' | 'memory'
  qualityGates: boolean
  /** How multi-part prompts are split: the local splitter, an LLM planner, or the LLM only where it pays. */
  planner: 'local' | 'llm' | 'auto'
  searchTimeoutMs: number
  retryBudget: { maxAttempts: number; maxWallMs: number }
  circuitBreaker: { failureThreshold: number; windowMs: number; openMs: number }
  logPrompts: boolean
  retentionDays: number
  /** Price per million tokens of the model savings are measured against. */
  savingsReference: { model: string; inputPerMillion: number; outputPerMillion: number }
  /** The config file that was read, or null when only defaults and the environment apply. */
  source: string | null
  /** True when that file holds a provider or access key, so it must not be readable by others. */
  sourceHoldsKeys: boolean
}
