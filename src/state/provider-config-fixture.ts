import { overrideLimits } from '../config/resolve-provider-models.js'
import type { ProviderConfig } from '../config/types.js'
import { CATALOG, type FreeTierLimits } from '../providers/catalog.js'

/**
 * Tests only: an enabled provider from the catalog with the given keys and limit overrides (applied to
 * the provider and every model, as `providers.<name>.limits` in smartsplit.json does). Keys share the
 * provider's default pool unless `keyPools` names them.
 */
export function providerConfigFixture(
  name: string,
  apiKeys: string[],
  limits: Partial<FreeTierLimits> = {},
  keyPools?: string[],
): ProviderConfig {
  const entry = CATALOG[name]
  if (entry === undefined) throw new Error(`no catalog entry ${name}`)
  const models = new Map(
    [...entry.models].map(([id, facts]) => [
      id,
      { ...facts, limits: facts.limits === null ? null : overrideLimits(facts.limits, limits) },
    ]),
  )
  return {
    name,
    displayName: entry.displayName,
    dialect: entry.dialect,
    tier: entry.tier,
    rankGroup: entry.tier === 'paid' ? 2 : entry.tier === 'trial' || entry.tier === 'credit' ? 1 : 0,
    enabled: true,
    disabledReason: null,
    isRequested: true,
    baseUrl: entry.baseUrl,
    apiKeys,
    model: entry.model,
    fastModel: entry.fastModel,
    strongModel: entry.strongModel,
    temperature: null,
    maxTokens: null,
    modelInfo: entry.modelInfo,
    quirks: entry.quirks,
    limits: overrideLimits(entry.limits, limits),
    models,
    limitsPer: entry.limitsPer,
    poolScope: entry.poolScope,
    keyPools:
      keyPools ?? apiKeys.map((_, index) => (entry.poolScope === 'key' ? `key ${index + 1}` : 'default')),
    modelsPath: entry.modelsPath,
    extraHeaders: {},
    keyEnv: entry.keyEnv,
    keyUrl: entry.keyUrl,
    catalogSource: entry.source,
    cachedTokensCountTowardLimits: entry.cachedTokensCountTowardLimits,
    embeddings: entry.embeddings,
  }
}
