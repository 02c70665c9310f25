import type {
  EmbeddingsFacts,
  FreeTierLimits,
  ModelFacts,
  ModelInfo,
  PoolScope,
  Tier,
} from '../providers/catalog.js'
import type { CatalogProviderInput } from '../providers/catalog-schema.js'
import type { Dialect } from '../providers/types.js'
import type { UpstreamReadLimits } from '../providers/upstream-read-limits.js'
import type { ProviderQuirks } from '../wire/provider-quirks.js'
import type { Mode } from './schema.js'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** One LLM provider after merging catalog defaults, the config file and the environment. */
export interface ProviderConfig {
  name: string
  displayName: string
  dialect: Dialect
  /** Recurring free, trial or credit-based, paid, or local. */
  tier: Tier
  /**
   * Ranked groups, lowest first: free and local (0), then trial and credit (1, unless the config's
   * free_llm_priority says otherwise), then paid (2).
   */
  rankGroup: number
  enabled: boolean
  /** Why a configured provider is not used, phrased as what to do about it. */
  disabledReason: string | null
  /** The user asked for it (a key, or `"enabled": true`): disabled, it is a setup problem worth naming. */
  isRequested: boolean
  baseUrl: string
  apiKeys: string[]
  model: string
  fastModel: string
  strongModel: string
  temperature: number | null
  maxTokens: number | null
  modelInfo: ModelInfo
  quirks: ProviderQuirks
  /** Limits of a model the catalogue does not list, or of every model when limitsPer is 'provider'. */
  limits: FreeTierLimits
  /** Every model known for this provider (catalogue, config and the configured ones), limits merged. */
  models: ReadonlyMap<string, ModelFacts>
  /** Whether each model has its own limits or all draw from the provider's. */
  limitsPer: 'model' | 'provider'
  /** Who owns the limits when the config names no pool: each key, or the account / project. */
  poolScope: PoolScope
  /** The quota pool of each key (same index as apiKeys): keys of one pool share its limits. */
  keyPools: readonly string[]
  /** GET path of the provider's model list, relative to baseUrl; null when it has none. */
  modelsPath: string | null
  extraHeaders: Record<string, string>
  keyEnv: string | null
  keyUrl: string
  /** The catalogue entry with each figure's as_of and source; null for a custom provider. */
  catalogSource: CatalogProviderInput | null
  /** False where tokens read from the provider's prompt cache do not count against its limits. */
  cachedTokensCountTowardLimits: boolean
  /** Its free embeddings (base URL resolved), or null when it offers none SmartSplit knows. */
  embeddings: EmbeddingsFacts | null
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
  /** True when the config file states free_llm_priority (the user's order then counts in ranking). */
  isPriorityStated: boolean
  /** Routing-table rows overridden in the config file, by task ("cerebras = gemini" groups). */
  routing: Partial<Record<string, string[]>>
  /** Every known provider, enabled or not, free ones in priority order first. */
  providers: ProviderConfig[]
  search: SearchProviderConfig[]
  server: ServerConfig
  /** autocompleteFirstByteMs: the first-byte timeout of a legacy completion (latency first). */
  timeouts: {
    connectMs: number
    firstByteMs: number
    idleMs: number
    keepaliveMs: number
    autocompleteFirstByteMs: number
  }
  /** Conversations stay on the target that answered them, until idle this long; at most this many. */
  affinity: { enabled: boolean; idleMs: number; maxConversations: number }
  /** The model smartsplit-embed means, as `provider/model`; null: the first configured (then kept). */
  embeddings: { defaultModel: string | null }
  upstreamLimits: UpstreamReadLimits
  logLevel: LogLevel
  dataDir: string
  store: 'sqlite' | 'memory'
  /** Checks on each answer (refusals, empty, cut short, code asked and none given) and how often one may be replaced. */
  qualityGates: { enabled: boolean; maxEscalations: number }
  /** How multi-part prompts are split: the local splitter, an LLM planner, or the LLM only where it pays. */
  planner: 'local' | 'llm' | 'auto'
  searchTimeoutMs: number
  retryBudget: { maxAttempts: number; maxWallMs: number }
  circuitBreaker: { failureThreshold: number; windowMs: number; openMs: number }
  logPrompts: boolean
  retentionDays: number
  /** Price per million tokens of the model savings are measured against. */
  savingsReference: { model: string; inputPerMillion: number; outputPerMillion: number }
  /** Redis shared by several instances (state.redis_url or $REDIS_URL); null keeps state in this process. */
  sharedState: { redisUrl: string | null; timeoutMs: number; namespace: string }
  /** The config file that was read, or null when only defaults and the environment apply. */
  source: string | null
  /** True when that file holds a provider or access key, so it must not be readable by others. */
  sourceHoldsKeys: boolean
}
