import type { ProviderConfig } from '../../config/types.js'

const MODEL_ID = /^[a-z0-9][a-z0-9_-]*\/\S{1,200}$/

/**
 * What smartsplit-embed means: the configured default; else the one chosen before (kept in the data dir,
 * so adding a key later never changes the vector space of an index silently); else the first enabled
 * provider with free embeddings, in priority order. Null when there is none.
 */
export function chooseDefaultEmbeddingModel(
  configured: string | null,
  saved: unknown,
  providers: readonly ProviderConfig[],
): string | null {
  if (configured !== null) return configured
  if (typeof saved === 'string' && MODEL_ID.test(saved)) return saved
  const first = providers.find((provider) => provider.enabled && provider.embeddings !== null)
  return first === undefined ? null : `${first.name}/${first.embeddings!.defaultModel}`
}
