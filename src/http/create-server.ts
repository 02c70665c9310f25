import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { NotFoundError, SmartSplitError } from '../errors.js'
import { toErrorResponse } from './error-response.js'
import { parseJsonBody } from './parse-json-body.js'
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
    // Bad URLs and the like go through the one error path too, in OpenAI's shape.
    frameworkErrors: (error, _request, reply) => {
      const response = toErrorResponse(error, services.redact)
      void (reply as FastifyReply).status(response.status).send(response.body)
    },
    // Malformed HTTP or oversized headers never reach a route: answer them in OpenAI's shape as well.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return
      const isTooLarge = error.code === 'HPE_HEADER_OVERFLOW'
      const status = isTooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'
      const message = isTooLarge
        ? 'The request headers are too large; send smaller headers.'
        : 'The request is not valid HTTP.'
      const body = JSON.stringify({
        error: {
          message,
          type: 'invalid_request_error',
          param: null,
          code: isTooLarge ? 'headers_too_large' : 'bad_http',
        },
      })
      socket.end(
        `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      )
    },
  })

  // Parse every body as JSON whatever its content type: curl and some clients omit or mislabel it.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    try {
      done(null, parseJsonBody(body))
    } catch (error) {
      done(error as Error, undefined)
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
    // SmartSplit's own errors (all providers down, a client gone) are logged where they happen, not as crashes.
    if (response.status >= 500 && !(error instanceof SmartSplitError)) services.logError(error)
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
