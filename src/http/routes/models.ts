import type { FastifyInstance } from 'fastify'
import { NotFoundError } from '../../errors.js'
import { isAnthropicRequest } from '../dialect-error-response.js'
import type { HttpServices } from '../types.js'

interface ModelEntry {
  id: string
  object: 'model'
  created: number
  owned_by: string
}

/** A model as Anthropic's Models API describes it, for Anthropic clients (SDK models.list, model pickers). */
interface AnthropicModelEntry {
  type: 'model'
  id: string
  display_name: string
  created_at: string
}

const toAnthropicModel = (entry: ModelEntry): AnthropicModelEntry => ({
  type: 'model',
  id: entry.id,
  display_name: entry.id,
  created_at: new Date(entry.created * 1000).toISOString(),
})

function listModels(services: HttpServices): ModelEntry[] {
  const created = Math.floor(services.startedAtMs / 1000)
  const ids: [string, string][] = [
    ['smartsplit', 'smartsplit'],
    ['smartsplit-economy', 'smartsplit'],
    ['smartsplit-balanced', 'smartsplit'],
    ['smartsplit-quality', 'smartsplit'],
  ]
  for (const provider of services.providers) {
    if (!provider.enabled) continue
    for (const model of new Set([provider.model, provider.fastModel, provider.strongModel])) {
      ids.push([`${provider.name}/${model}`, provider.name])
    }
  }
  // Embedding models: smartsplit-embed (the one configured default) and each provider's own.
  if (services.embeddingModel !== null) ids.push(['smartsplit-embed', 'smartsplit'])
  for (const provider of services.providers) {
    if (!provider.enabled || provider.embeddings === null) continue
    for (const model of provider.embeddings.models.keys())
      ids.push([`${provider.name}/${model}`, provider.name])
  }
  return ids.map(([id, owner]) => ({ id, object: 'model', created, owned_by: owner }))
}

/** Both dialects' clients list models here; an Anthropic client gets Anthropic's page and model shapes. */
export function registerModels(app: FastifyInstance, services: HttpServices): void {
  app.get('/v1/models', async (request) => {
    const data = listModels(services)
    if (!isAnthropicRequest(request)) return { object: 'list', data }
    const models = data.map(toAnthropicModel)
    return {
      data: models,
      has_more: false,
      first_id: models[0]?.id ?? null,
      last_id: models.at(-1)?.id ?? null,
    }
  })
  app.get<{ Params: { '*': string } }>('/v1/models/*', async (request) => {
    const id = request.params['*']
    const model = listModels(services).find((entry) => entry.id === id)
    if (model === undefined)
      throw new NotFoundError(`The model '${id}' does not exist; GET /v1/models lists them.`)
    return isAnthropicRequest(request) ? toAnthropicModel(model) : model
  })
}
