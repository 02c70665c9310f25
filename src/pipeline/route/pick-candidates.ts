import type { ProviderConfig } from '../../config/types.js'
import type { ModelSelection } from './parse-model-id.js'
import type { Candidate } from './types.js'

function keysOf(provider: ProviderConfig): (string | null)[] {
  return provider.apiKeys.length > 0 ? provider.apiKeys : [null]
}

function expand(provider: ProviderConfig, model: string, reason: string): Candidate[] {
  return keysOf(provider).map((apiKey, keyIndex) => ({
    provider,
    model,
    apiKey,
    reason: provider.apiKeys.length > 1 ? `${reason} (key ${keyIndex + 1})` : reason,
  }))
}

/**
 * The ordered fallback chain for one request. A pinned `provider/model` uses only that provider (each of
 * its keys); otherwise enabled providers in `free_llm_priority` order, then paid ones that are enabled.
 */
export function pickCandidates(providers: readonly ProviderConfig[], selection: ModelSelection): Candidate[] {
  const enabled = providers.filter((provider) => provider.enabled)
  if (selection.kind === 'pinned') {
    const provider = enabled.find((p) => p.name === selection.provider)
    return provider === undefined ? [] : expand(provider, selection.model, 'pinned by the request')
  }
  const free = enabled.filter((p) => p.tier !== 'paid')
  const paid = enabled.filter((p) => p.tier === 'paid')
  return [...free, ...paid].flatMap((provider, rank) =>
    expand(provider, provider.model, `${provider.tier === 'paid' ? 'paid' : 'priority'} #${rank + 1}`),
  )
}
