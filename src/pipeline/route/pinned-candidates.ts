import type { ProviderConfig } from '../../config/types.js'
import type { Candidate } from './types.js'

/**
 * The fallback chain of a request pinned to `provider/model`: that provider and model only, one step per
 * key, or nothing when the provider is not enabled. Automatic routing ranks candidates instead
 * (rank-candidates.ts).
 */
export function pinnedCandidates(
  providers: readonly ProviderConfig[],
  providerName: string,
  model: string,
): Candidate[] {
  const provider = providers.find((p) => p.enabled && p.name === providerName)
  if (provider === undefined) return []
  const keys = provider.apiKeys.length > 0 ? provider.apiKeys : [null]
  return keys.map((apiKey, keyIndex) => ({
    provider,
    model,
    apiKey,
    reason: keys.length > 1 ? `pinned by the request (key ${keyIndex + 1})` : 'pinned by the request',
    prior: null,
  }))
}
