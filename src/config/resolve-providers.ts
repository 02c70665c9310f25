import { CATALOG, type CatalogEntry, DEFAULT_FREE_PRIORITY, SEARCH_KEY_ENV } from '../providers/catalog.js'
import { ConfigError } from './config-error.js'
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

function keysFor(input: ProviderConfigInput, envValue: string | undefined): string[] {
  const fromFile = [...(input.api_key === undefined ? [] : [input.api_key]), ...(input.api_keys ?? [])]
  const keys = fromFile.length > 0 ? fromFile : splitKeys(envValue)
  return [...new Set(keys)]
}

// A provider the catalog does not know is a custom OpenAI-compatible endpoint: base_url and model needed.
function customEntry(name: string, input: ProviderConfigInput): CatalogEntry {
  if (input.base_url === undefined || input.model === undefined) {
    throw new ConfigError(
      `providers.${name}: unknown provider; a custom provider needs "base_url" and "model" (known providers: ${Object.keys(CATALOG).join(', ')})`,
    )
  }
  return {
    ...CATALOG.local!,
    dialect: input.dialect ?? 'openai',
    tier: 'free',
    baseUrl: input.base_url,
    keyEnv: null,
    model: input.model,
    fastModel: input.model,
    strongModel: input.model,
  }
}

function resolveOne(
  name: string,
  entry: CatalogEntry,
  input: ProviderConfigInput,
  env: NodeJS.ProcessEnv,
  isListed: boolean,
): ProviderConfig {
  const apiKeys = keysFor(input, entry.keyEnv === null ? undefined : env[entry.keyEnv])
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
  return {
    name,
    dialect: input.dialect ?? entry.dialect,
    tier: entry.tier,
    enabled: disabledReason === null,
    disabledReason,
    baseUrl: (input.base_url ?? entry.baseUrl)
      .replace('{account_id}', encodeURIComponent(accountId ?? ''))
      .replace(/\/+$/, ''),
    apiKeys,
    model,
    fastModel: input.fast_model ?? (input.model === undefined ? entry.fastModel : model),
    strongModel: input.strong_model ?? (input.model === undefined ? entry.strongModel : model),
    temperature: input.temperature ?? null,
    maxTokens: input.max_tokens ?? null,
    modelInfo: {
      ...entry.modelInfo,
      ...(input.context_window === undefined ? {} : { contextWindow: input.context_window }),
    },
    quirks: entry.quirks,
    limits: {
      rpm: input.limits?.rpm ?? entry.limits.rpm,
      rpd: input.limits?.rpd ?? entry.limits.rpd,
      tpm: input.limits?.tpm ?? entry.limits.tpm,
      tpd: input.limits?.tpd ?? entry.limits.tpd,
    },
    extraHeaders: entry.extraHeaders ?? {},
    keyEnv: entry.keyEnv,
    keyUrl: entry.keyUrl,
  }
}

/** Merges catalog, config file and environment into the full provider list, in priority order. */
export function resolveProviders(
  inputs: Record<string, ProviderConfigInput>,
  priority: readonly string[],
  env: NodeJS.ProcessEnv,
): ProviderConfig[] {
  const names = new Set<string>([...priority, ...DEFAULT_FREE_PRIORITY, ...Object.keys(CATALOG)])
  for (const name of Object.keys(inputs)) if (!SEARCH_PROVIDERS.has(name)) names.add(name)
  const resolved: ProviderConfig[] = []
  for (const name of names) {
    if (SEARCH_PROVIDERS.has(name)) continue
    // Own properties only: a provider may be called "constructor", which every object inherits.
    const isConfigured = Object.hasOwn(inputs, name)
    const input = isConfigured ? inputs[name]! : {}
    const known = Object.hasOwn(CATALOG, name) ? CATALOG[name] : undefined
    const entry = known ?? (isConfigured ? customEntry(name, input) : undefined)
    if (entry === undefined) {
      throw new ConfigError(
        `free_llm_priority: unknown provider "${name}"; known providers: ${Object.keys(CATALOG).join(', ')}, or add it under "providers" with base_url and model`,
      )
    }
    resolved.push(resolveOne(name, entry, input, env, isConfigured))
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
