import type { FastifyInstance } from 'fastify'
import type { RequestOrigin } from '../../pipeline/run.js'
import { parseEmbeddingsRequest } from '../../wire/embeddings/parse-embeddings-request.js'
import { toEmbeddingsResponse } from '../../wire/embeddings/to-embeddings-response.js'
import type { HttpServices } from '../types.js'

// OpenAI's embeddings API, for codebase indexing (Continue, Open WebUI): one model id always means one
// embedding model, so an index never mixes vector spaces. Errors go through the one error path.

const PATH = '/v1/embeddings'

export function registerEmbeddings(app: FastifyInstance, services: HttpServices): void {
  app.post(PATH, async (request, reply) => {
    const embeddings = parseEmbeddingsRequest(request.body)
    const origin: RequestOrigin = { path: PATH, receivedAtMs: request.receivedAtMs, requestId: request.id }
    const signal = services.inFlight.signalFor(reply.raw)
    const outcome = await services.pipeline.embed(embeddings, origin, signal)
    const { target } = outcome
    return reply
      .headers({
        'x-smartsplit-provider': target.provider.name,
        'x-smartsplit-model': target.model,
        'x-smartsplit-task': 'embeddings',
      })
      .send(toEmbeddingsResponse(outcome.vectors, target.id, outcome.promptTokens, embeddings.encodingFormat))
  })
}
