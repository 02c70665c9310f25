import type { ProviderConfig } from '../../config/types.js'
import { EmbeddingModelUnavailableError, InvalidRequestError } from '../../errors.js'
import type { EmbeddingModelFacts, EmbeddingsFacts } from '../../providers/catalog.js'

/** The model id that means "the configured default embedding model". */
export const DEFAULT_EMBEDDING_MODEL_ID = 'smartsplit-embed'

/** The one embedding model a request's model id stands for. */
export interface EmbeddingTarget {
  /** `provider/model`, as clients and the response name it. */
  id: string
  provider: ProviderConfig
  embeddings: EmbeddingsFacts
  model: string
  /** What the catalogue knows of the model; null for one it does not list (a local model). */
  facts: EmbeddingModelFacts | null
}

/** A model a local OpenAI-compatible server may serve: named in the JSON body only, never in a URL. */
const SERVED_MODEL_ID = /^[\w.:@-][\w.:@/-]{0,199}$/

const notFound = (id: string): InvalidRequestError =>
  new InvalidRequestError(
    `The model '${id.slice(0, 200)}' is not an embedding model SmartSplit serves; GET /v1/models lists them (smartsplit-embed, or provider/model).`,
    { param: 'model', code: 'model_not_found', status: 404 },
  )

/**
 * A model id → exactly one embedding model: `smartsplit-embed` is the configured (or first chosen)
 * default, `provider/model` is that model on that provider. It never resolves to anything else, because
 * an index must not mix vector spaces: when the model cannot be reached the answer is a 503 that says so.
 */
export function resolveEmbeddingModel(
  modelId: string,
  settings: { providers: readonly ProviderConfig[]; defaultModel: string | null },
): EmbeddingTarget {
  if (modelId === DEFAULT_EMBEDDING_MODEL_ID) {
    if (settings.defaultModel === null) {
      throw new EmbeddingModelUnavailableError(
        'No provider with free embeddings is configured, so smartsplit-embed has no model. Set a key for one (GEMINI_API_KEY, MISTRAL_API_KEY, CLOUDFLARE_API_KEY with CLOUDFLARE_ACCOUNT_ID, HF_TOKEN) or configure providers.local, then restart.',
        null,
      )
    }
    return resolveEmbeddingModel(settings.defaultModel, settings)
  }
  if (modelId.startsWith('smartsplit'))
    throw new InvalidRequestError(
      `'${modelId.slice(0, 60)}' is a chat model; embeddings need smartsplit-embed or provider/model.`,
      { param: 'model', code: 'model_not_found', status: 404 },
    )
  const slash = modelId.indexOf('/')
  const name = modelId.slice(0, slash)
  const model = modelId.slice(slash + 1)
  const provider = slash > 0 ? settings.providers.find((p) => p.name === name) : undefined
  const embeddings = provider?.embeddings ?? null
  if (provider === undefined || embeddings === null || model === '') throw notFound(modelId)
  const facts = embeddings.models.get(model) ?? null
  // Only the OpenAI-style API names the model in the body; a model in a URL must be one the catalogue lists.
  if (facts === null && (embeddings.api !== 'openai' || !SERVED_MODEL_ID.test(model))) throw notFound(modelId)
  if (!provider.enabled) {
    throw new EmbeddingModelUnavailableError(
      `${modelId} cannot be reached: ${provider.name} is not enabled (${provider.disabledReason ?? 'not configured'}). SmartSplit never answers with another embedding model, since vectors from different models cannot share an index: enable ${provider.name} again, or re-index with another model.`,
      null,
    )
  }
  return { id: `${name}/${model}`, provider, embeddings, model, facts }
}
