import Fastify, { type FastifyInstance } from 'fastify'
import { InvalidRequestError, NotFoundError } from '../errors.js'
import { toErrorResponse } from './error-response.js'
import { registerChatCompletions } from './routes/chat-completions.js'
import { registerHealth } from './routes/health.js'
import { registerMessages } from './routes/messages.js'
import { registerMetrics } from './routes/metrics.js'
import { registerModels } from './routes/models.js'
import { registerPlan } from './routes/plan.js'
import type { HttpServices } from './types.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived, for SmartSplit's own overhead and latency figures. */
    receivedAtMs: number
  }
}

/** The HTTP surface: routes, body limit, JSON parsing, and the one error path. No routing decisions here. */
export function createServer(services: HttpServices): FastifyInstance {
  const app = Fastify({
    bodyLimit: services.bodyLimitBytes,
    logger: false,
    // Agents send long prompts on slow links; the request timeout is about the whole request, not idle time.
    requestTimeout: 0,
    keepAliveTimeout: 65_000,
  })

  // Parse every body as JSON whatever its content type: curl and some clients omit or mislabel it.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    if (body.length === 0) {
      done(new InvalidRequestError('The request body is empty; send a JSON object.'), undefined)
      return
    }
    try {
      done(null, JSON.parse(body.toString('utf8')))
    } catch (error) {
      done(
        new InvalidRequestError(`The request body is not valid JSON: ${(error as Error).message}.`, {
          code: 'invalid_json',
        }),
        undefined,
      )
    }
  })

  // Every API response names the provider and model that answered; "none" until one did.
  app.decorateRequest('receivedAtMs', 0)
  app.addHook('onRequest', async (request, reply) => {
    request.receivedAtMs = services.nowMs()
    if (request.url.startsWith('/v1/'))
      reply.header('x-smartsplit-provider', 'none').header('x-smartsplit-model', 'none')
  })

  app.setErrorHandler((error, _request, reply) => {
    const response = toErrorResponse(error, services.redact)
    if (response.status >= 500) services.logError(error)
    return reply.status(response.status).headers(response.headers).send(response.body)
  })
  app.setNotFoundHandler((request, reply) => {
    const response = toErrorResponse(
      new NotFoundError(
        `Unknown route ${request.method} ${request.url.split('?')[0]}. SmartSplit serves POST /v1/chat/completions, POST /v1/messages, POST /v1/plan, GET /v1/models, GET /health, GET /metrics and GET /savings.`,
      ),
      services.redact,
    )
    return reply.status(404).send(response.body)
  })

  registerChatCompletions(app, services)
  registerModels(app, services)
  registerMessages(app, services)
  registerPlan(app, services)
  registerMetrics(app, services)
  registerHealth(app, services)
  return app
}
