import type { ProviderConfig } from '../../config/types.js'
import type { ModelInfo } from '../../providers/catalog.js'

export type IsRetired = (provider: string, model: string) => boolean

/** True when `candidate` can do everything `wanted` can (a retired model's stand-in must). */
function canReplace(candidate: ModelInfo, wanted: ModelInfo): boolean {
  return (
    (candidate.supportsTools || !wanted.supportsTools) &&
    (candidate.supportsVision || !wanted.supportsVision) &&
    (candidate.supportsJsonMode || !wanted.supportsJsonMode)
  )
}

/**
 * The model to ask on `provider` in place of `preferred`: `preferred` itself while it is in service,
 * else the provider's other configured models, then the catalogue's other models that are not retired
 * and can do what `preferred` could. Null when the provider has nothing left.
 */
export function liveModel(provider: ProviderConfig, preferred: string, isRetired: IsRetired): string | null {
  if (!isRetired(provider.name, preferred)) return preferred
  const wanted = provider.models.get(preferred)?.info ?? provider.modelInfo
  const configured = [provider.model, provider.strongModel, provider.fastModel]
  const catalogued = [...provider.models]
    .filter(([, facts]) => facts.status !== 'retired' && canReplace(facts.info, wanted))
    .map(([id]) => id)
  for (const model of new Set([...configured, ...catalogued])) {
    if (model !== preferred && !isRetired(provider.name, model)) return model
  }
  return null
}
