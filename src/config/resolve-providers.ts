import {
  CATALOG,
  type Catalog,
  type CatalogEntry,
  DEFAULT_FREE_PRIORITY,
  SEARCH_KEY_ENV,
} from '../providers/catalog.js'
import { ConfigError } from './config-error.js'
import { overrideLimits, resolveProviderModels } from './resolve-provider-models.js'
import type { ProviderConfigInput } from './schema.js'
import type { ProviderConfig, SearchProviderConfig } from './types.js'

const SEARCH_PROVIDERS = new Set(['serper', 'tavily', 'brave', 'searxng'])
const DEFAULT_SEARCH_RESULTS = 5

/** A comma-separated environment value gives several keys. */
export function splitKeys(value: string | undefined): string[] {
  if (value === undefined) return []
  return value
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0)
}

interface KeyEntry {
  key: string
  pool: string | null
}

function keyEntriesFor(input: ProviderConfigInput, envValue: string | undefined): KeyEntry[] {
  const listed = [...(input.api_key === undefined ? [] : [input.api_key]), ...(input.api_keys ?? [])]
  const fromFile = listed.map((entry) =>
    typeof entry === 'string' ? { key: entry, pool: null } : { key: entry.key, pool: entry.pool },
  )
  const entries = fromFile.length > 0 ? fromFile : splitKeys(envValue).map((key) => ({ key, pool: null }))
  const seen = new Set<string>()
  return entries.filter((entry) => !seen.has(entry.key) && seen.add(entry.key))
}

function keysFor(input: ProviderConfigInput, envValue: string | undefined): string[] {
  return keyEntriesFor(input, envValue).map((entry) => entry.key)
}

/**
 * The quota pool of each key. A key that names no pool shares the provider's default one where the
 * provider counts per account or project (more keys of one account add nothing), and is its own pool
 * where keys are independent.
 */
function poolsFor(entries: readonly KeyEntry[], entry: CatalogEntry): string[] {
  return entries.map((key, index) => key.pool ?? (entry.poolScope === 'key' ? `key ${index + 1}` : 'default'))
}

// A provider the catalog does not know is a custom OpenAI-compatible endpoint: base_url and model needed.
function customEntry(name: string, input: ProviderConfigInput, catalog: Catalog): CatalogEntry {
  if (input.base_url === undefined || input.model === undefined) {
    throw new ConfigError(
      `providers.${name}: unknown provider; a custom provider needs "base_url" and "model" (known providers: ${Object.keys(catalog).join(', ')})`,
    )
  }
  return {
    ...CATALOG.local!,
    displayName: name,
    models: new Map(),
    dialect: input.dialect ?? 'openai',
    tier: 'free',
    baseUrl: input.base_url,
    keyEnv: null,
    model: input.model,
    fastModel: input.model,
    strongModel: input.model,
    embeddings: null,
  }
}

/** `{account_id}` replaced and trailing slashes dropped, as every base URL. */
function resolveBaseUrl(url: string, accountId: string | undefined): string {
  return url.replace('{account_id}', encodeURIComponent(accountId ?? '')).replace(/\/+$/, '')
}

function resolveOne(
  name: string,
  entry: CatalogEntry,
  input: ProviderConfigInput,
  env: NodeJS.ProcessEnv,
  isListed: boolean,
  isCustom: boolean,
): ProviderConfig {
  const keyEntries = keyEntriesFor(input, entry.keyEnv === null ? undefined : env[entry.keyEnv])
  const apiKeys = keyEntries.map((key) => key.key)
  const accountId = input.account_id ?? (name === 'cloudflare' ? env.CLOUDFLARE_ACCOUNT_ID : undefined)
  const needsKey = entry.keyEnv !== null
  let disabledReason: string | null = null
  if (input.enabled === false) disabledReason = 'disabled in the configuration'
  else if (needsKey && apiKeys.length === 0)
    disabledReason = `no API key: set ${entry.keyEnv} (get one at ${entry.keyUrl})`
  else if (entry.baseUrl.includes('{account_id}') && input.base_url === undefined && accountId === undefined)
    disabledReason = 'no account id: set CLOUDFLARE_ACCOUNT_ID or providers.cloudflare.account_id'
  else if (entry.tier === 'paid' && input.enabled !== true)
    disabledReason = `paid provider: set "providers.${name}.enabled": true to allow spending`
  else if (!needsKey && !isListed)
    disabledReason = `not configured: add "providers.${name}" with its base_url`
  const model = input.model ?? entry.model
  const fastModel = input.fast_model ?? (input.model === undefined ? entry.fastModel : model)
  const strongModel = input.strong_model ?? (input.model === undefined ? entry.strongModel : model)
  const models = resolveProviderModels(entry, input, [model, fastModel, strongModel])
  const modelInfo = models.get(model)?.info ?? entry.assumedInfo
  return {
    name,
    displayName: entry.displayName,
    dialect: input.dialect ?? entry.dialect,
    tier: entry.tier,
    enabled: disabledReason === null,
    disabledReason,
    isRequested: input.enabled !== false && (apiKeys.length > 0 || input.enabled === true),
    baseUrl: resolveBaseUrl(input.base_url ?? entry.baseUrl, accountId),
    apiKeys,
    model,
    fastModel,
    strongModel,
    temperature: input.temperature ?? null,
    maxTokens: input.max_tokens ?? null,
    modelInfo: {
      ...modelInfo,
      ...(input.context_window === undefined ? {} : { contextWindow: input.context_window }),
    },
    quirks: entry.quirks,
    limits: overrideLimits(entry.limits, input.limits),
    models,
    limitsPer: entry.limitsPer,
    poolScope: entry.poolScope,
    keyPools: poolsFor(keyEntries, entry),
    modelsPath: entry.modelsPath,
    extraHeaders: entry.extraHeaders ?? {},
    keyEnv: entry.keyEnv,
    keyUrl: entry.keyUrl,
    catalogSource: isCustom ? null : entry.source,
    rankGroup: 0,
    cachedTokensCountTowardLimits: entry.cachedTokensCountTowardLimits,
    embeddings:
      entry.embeddings === null
        ? null
        : {
            ...entry.embeddings,
            baseUrl: resolveBaseUrl(entry.embeddings.baseUrl ?? input.base_url ?? entry.baseUrl, accountId),
          },
  }
}

/**
 * By default recurring free tiers (and local models) rank before trial and credit-based ones, which
 * run out for good, and paid ones come last. A free_llm_priority written in the config is the user's
 * own order: only paid providers stay last.
 */
function rankGroupOf(tier: CatalogEntry['tier'], isPriorityExplicit: boolean): number {
  if (tier === 'paid') return 2
  return (tier === 'trial' || tier === 'credit') && !isPriorityExplicit ? 1 : 0
}

/** Merges catalog, config file and environment into the full provider list, in priority order. */
export function resolveProviders(
  inputs: Record<string, ProviderConfigInput>,
  priority: readonly string[],
  env: NodeJS.ProcessEnv,
  catalog: Catalog = CATALOG,
  isPriorityExplicit = false,
): ProviderConfig[] {
  const names = new Set<string>([...priority, ...DEFAULT_FREE_PRIORITY, ...Object.keys(catalog)])
  for (const name of Object.keys(inputs)) if (!SEARCH_PROVIDERS.has(name)) names.add(name)
  const resolved: ProviderConfig[] = []
  for (const name of names) {
    if (SEARCH_PROVIDERS.has(name)) continue
    // Own properties only: a provider may be called "constructor", which every object inherits.
    const isListed = Object.hasOwn(inputs, name)
    const input = isListed ? inputs[name]! : {}
    const known = Object.hasOwn(catalog, name) ? catalog[name] : undefined
    const entry = known ?? (isListed ? customEntry(name, input, catalog) : undefined)
    if (entry === undefined) {
      throw new ConfigError(
        `free_llm_priority: unknown provider "${name}"; known providers: ${Object.keys(catalog).join(', ')}, or add it under "providers" with base_url and model`,
      )
    }
    const resolvedOne = resolveOne(name, entry, input, env, isListed, known === undefined)
    resolved.push({ ...resolvedOne, rankGroup: rankGroupOf(entry.tier, isPriorityExplicit) })
  }
  return resolved
}

export function resolveSearchProviders(
  inputs: Record<string, ProviderConfigInput>,
  env: NodeJS.ProcessEnv,
): SearchProviderConfig[] {
  const result: SearchProviderConfig[] = []
  for (const name of SEARCH_PROVIDERS) {
    const input = Object.hasOwn(inputs, name) ? inputs[name]! : {}
    if (input.enabled === false) continue
    const envName = SEARCH_KEY_ENV[name]
    const apiKeys = keysFor(input, envName === undefined ? undefined : env[envName])
    const isKeyless = name === 'searxng'
    if (isKeyless ? input.base_url === undefined : apiKeys.length === 0) continue
    result.push({
      name,
      apiKeys,
      baseUrl: input.base_url ?? null,
      maxResults: input.max_search_results ?? DEFAULT_SEARCH_RESULTS,
    })
  }
  return result
}
