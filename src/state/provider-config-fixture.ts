import type { ProviderConfig } from '../config/types.js'
import { CATALOG, type FreeTierLimits } from '../providers/catalog.js'

/** Tests only: an enabled provider from the catalog with the given keys and limit overrides. */
export function providerConfigFixture(
  name: string,
  apiKeys: string[],
  limits: Partial<FreeTierLimits> = {},
): ProviderConfig {
  const entry = CATALOG[name]
  if (entry === undefined) throw new Error(`no catalog entry ${name}`)
  return {
    name,
    dialect: entry.dialect,
    tier: entry.tier,
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
    limits: { ...entry.limits, ...limits },
    extraHeaders: {},
    keyEnv: entry.keyEnv,
    keyUrl: entry.keyUrl,
  }
}
