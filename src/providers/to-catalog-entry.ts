import type { ProviderQuirks } from '../wire/provider-quirks.js'
import type {
  CatalogEmbeddingsInput,
  CatalogModelInput,
  CatalogProviderInput,
  LimitsFigures,
} from './catalog-schema.js'
import type { Dialect } from './types.js'

export interface ModelInfo {
  contextWindow: number
  maxOutputTokens: number
  supportsTools: boolean
  supportsVision: boolean
  supportsJsonMode: boolean
}

/** Requests and tokens per minute and per day; null where the provider publishes nothing (learned instead). */
export interface FreeTierLimits {
  rpm: number | null
  rpd: number | null
  tpm: number | null
  tpd: number | null
}

export type Tier = 'free' | 'trial' | 'credit' | 'paid' | 'local'
export type PoolScope = 'key' | 'account' | 'project'
export type ModelStatus = 'active' | 'deprecated' | 'retired'

/** What the catalogue says of one model of a provider, figures resolved to values. */
export interface ModelFacts {
  /** Null when the provider publishes no status for it (OpenRouter's rotating :free pool). */
  status: ModelStatus | null
  /** The model's own limits; null when it draws on the provider's (limits_per provider, or none listed). */
  limits: FreeTierLimits | null
  info: ModelInfo
  /** Capabilities the provider did not publish, filled from the provider's assumed_model_info. */
  assumed: readonly (keyof ModelInfo)[]
}

/** One embedding model: its vector width, whether a smaller one may be asked for, its batch size. */
export interface EmbeddingModelFacts {
  dimensions: number
  flexibleDimensions: boolean
  maxBatch: number
}

/** A provider's free embeddings: the API that speaks them and where, and its models. */
export interface EmbeddingsFacts {
  api: 'openai' | 'gemini' | 'huggingface'
  /** Null: the provider's own base URL. `{account_id}` is replaced as there. */
  baseUrl: string | null
  defaultModel: string
  models: ReadonlyMap<string, EmbeddingModelFacts>
}

export interface CatalogEntry {
  displayName: string
  dialect: Dialect
  /** `{account_id}` is replaced from the provider's config (Cloudflare). */
  baseUrl: string
  tier: Tier
  /** Environment variable holding the key; a comma-separated value gives several keys. */
  keyEnv: string | null
  /** Where a user gets a key, printed on first run. */
  keyUrl: string
  /** GET path of the model list, relative to baseUrl; null when the provider has none. */
  modelsPath: string | null
  model: string
  fastModel: string
  strongModel: string
  /** Capabilities of the default model. */
  modelInfo: ModelInfo
  /** What SmartSplit assumes of a model the provider says nothing about. */
  assumedInfo: ModelInfo
  quirks: ProviderQuirks
  /** The provider's own limits: shared by every model (limitsPer 'provider'), or for unlisted models. */
  limits: FreeTierLimits
  poolScope: PoolScope
  limitsPer: 'model' | 'provider'
  models: ReadonlyMap<string, ModelFacts>
  /** False where the provider does not count tokens read from its prompt cache (Groq, Anthropic). */
  cachedTokensCountTowardLimits: boolean
  embeddings: EmbeddingsFacts | null
  extraHeaders?: Record<string, string>
  /** The catalogue entry as written, with every figure's as_of and source, for `smartsplit providers`. */
  source: CatalogProviderInput
}

function limitsOf(figures: LimitsFigures): FreeTierLimits {
  return {
    rpm: figures.rpm.value,
    rpd: figures.rpd.value,
    tpm: figures.tpm.value,
    tpd: figures.tpd.value,
  }
}

function modelFacts(input: CatalogModelInput, assumed: ModelInfo): ModelFacts {
  const unknown: (keyof ModelInfo)[] = []
  const pick = <K extends keyof ModelInfo>(key: K, value: ModelInfo[K] | null): ModelInfo[K] => {
    if (value !== null) return value
    unknown.push(key)
    return assumed[key]
  }
  return {
    status: input.status.value,
    limits: input.limits === undefined ? null : limitsOf(input.limits),
    info: {
      contextWindow: pick('contextWindow', input.context_window.value),
      maxOutputTokens: pick('maxOutputTokens', input.max_output_tokens.value),
      supportsTools: pick('supportsTools', input.tools.value),
      supportsVision: pick('supportsVision', input.vision.value),
      supportsJsonMode: pick('supportsJsonMode', input.json_mode.value),
    },
    assumed: unknown,
  }
}

/** Inputs per embeddings call where the provider publishes no batch limit. */
const UNPUBLISHED_MAX_BATCH = 16

function embeddingsOf(input: CatalogEmbeddingsInput | undefined): EmbeddingsFacts | null {
  if (input === undefined) return null
  const models = new Map(
    Object.entries(input.models).map(([id, model]) => [
      id,
      {
        dimensions: model.dimensions.value ?? 0,
        flexibleDimensions: model.flexible_dimensions.value === true,
        maxBatch: model.max_batch.value ?? UNPUBLISHED_MAX_BATCH,
      },
    ]),
  )
  return { api: input.api, baseUrl: input.base_url ?? null, defaultModel: input.default_model, models }
}

function quirksOf(provider: CatalogProviderInput): ProviderQuirks {
  const input = provider.quirks
  const quirks: ProviderQuirks = {}
  if (provider.prompt_caching?.prompt_cache_key.value === true) quirks.acceptsPromptCacheKey = true
  if (provider.fim !== undefined) quirks.fim = { path: provider.fim.path, model: provider.fim.model }
  if (input === undefined) return quirks
  if (input.allowed_fields !== undefined) quirks.allowedFields = input.allowed_fields
  if (input.drop_fields !== undefined) quirks.dropFields = input.drop_fields
  if (input.rename_fields !== undefined) quirks.renameFields = input.rename_fields
  if (input.strip_message_fields !== undefined) quirks.stripMessageFields = input.strip_message_fields
  if (input.supports_stream_options !== undefined)
    quirks.supportsStreamOptions = input.supports_stream_options
  if (input.max_output_tokens !== undefined) quirks.maxOutputTokens = input.max_output_tokens
  if (input.max_temperature !== undefined) quirks.maxTemperature = input.max_temperature
  if (input.needs_thought_signatures !== undefined)
    quirks.needsThoughtSignatures = input.needs_thought_signatures
  if (input.short_tool_call_ids !== undefined) quirks.shortToolCallIds = input.short_tool_call_ids
  if (input.assistant_between_tool_and_user !== undefined)
    quirks.assistantBetweenToolAndUser = input.assistant_between_tool_and_user
  return quirks
}

/** One validated catalogue entry → the values SmartSplit runs on. */
export function toCatalogEntry(input: CatalogProviderInput): CatalogEntry {
  const assumedInfo: ModelInfo = {
    contextWindow: input.assumed_model_info.context_window,
    maxOutputTokens: input.assumed_model_info.max_output_tokens,
    supportsTools: input.assumed_model_info.tools,
    supportsVision: input.assumed_model_info.vision,
    supportsJsonMode: input.assumed_model_info.json_mode,
  }
  const models = new Map(
    Object.entries(input.models).map(([id, model]) => [id, modelFacts(model, assumedInfo)] as const),
  )
  const entry: CatalogEntry = {
    displayName: input.display_name,
    dialect: input.dialect,
    baseUrl: input.base_url,
    tier: input.tier.value,
    keyEnv: input.key_env,
    keyUrl: input.key_url,
    modelsPath: input.models_path,
    model: input.defaults.model,
    fastModel: input.defaults.fast_model,
    strongModel: input.defaults.strong_model,
    modelInfo: models.get(input.defaults.model)?.info ?? assumedInfo,
    assumedInfo,
    quirks: quirksOf(input),
    limits: limitsOf(input.limits),
    poolScope: input.pool_scope.value,
    limitsPer: input.limits_per.value,
    models,
    cachedTokensCountTowardLimits: input.prompt_caching?.cached_tokens_count_toward_limits.value !== false,
    embeddings: embeddingsOf(input.embeddings),
    source: input,
  }
  if (input.extra_headers !== undefined) entry.extraHeaders = input.extra_headers
  return entry
}
