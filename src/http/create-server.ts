import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify'
import { NotFoundError, SmartSplitError } from '../errors.js'
import { clientName } from './client-name.js'
import { collapseDoubledApiPrefix } from './collapse-doubled-api-prefix.js'
import { decodeBody } from './decode-body.js'
import { toDialectErrorResponse } from './dialect-error-response.js'
import { drainRefusedBody, isBodyTooLarge } from './drain-refused-body.js'
import { parseJsonBody } from './parse-json-body.js'
import { registerChatCompletions } from './routes/chat-completions.js'
import { registerCompletions } from './routes/completions.js'
import { registerDashboard } from './routes/dashboard.js'
import { registerEmbeddings } from './routes/embeddings.js'
import { registerHealth } from './routes/health.js'
import { registerMessages } from './routes/messages.js'
import { registerMetrics } from './routes/metrics.js'
import { registerModels } from './routes/models.js'
import { registerPlan } from './routes/plan.js'
import { registerResponses } from './routes/responses.js'
import { registerRoot } from './routes/root.js'
import {
  DEFAULT_SERVER_SETTINGS,
  registerSecurity,
  type ServerSettings,
} from './security/register-security.js'
import type { HttpServices } from './types.js'
import { unknownRouteMessage } from './unknown-route-message.js'

/** Errors Node reports before a request reaches Fastify → status line, message and code. */
function describeClientError(error: NodeJS.ErrnoException): {
  status: string
  message: string
  code: string
} {
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return {
      status: '431 Request Header Fields Too Large',
      message: 'The request headers are too large (server.max_header_bytes); send smaller headers.',
      code: 'headers_too_large',
    }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return {
      status: '408 Request Timeout',
      message:
        'The request took too long to arrive (server.headers_timeout_ms, server.request_timeout_ms); send it again.',
      code: 'request_timeout',
    }
  return { status: '400 Bad Request', message: 'The request is not valid HTTP.', code: 'bad_http' }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** When the request arrived, for SmartSplit's own overhead and latency figures. */
    receivedAtMs: number
    /** What failed, for the request's log line; null when nothing did. */
    failure: unknown
    /** A streamed answer logs itself when it ends (the client may leave before any "finish"). */
    isStreamed: boolean
  }
}

/** How often Node looks for requests over their header/request timeout (its default is 30 s). */
function timeoutCheckIntervalMs(settings: ServerSettings): number {
  const shortest = Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs)
  return Math.max(10, Math.min(1_000, Math.floor(shortest / 4)))
}

const noRouteSchemas = (): never => {
  throw new Error('SmartSplit routes declare no Fastify schema: requests are validated in wire/')
}
const NO_SCHEMA_COMPILERS = { buildValidator: noRouteSchemas, buildSerializer: noRouteSchemas }

function parseInto(body: Buffer, done: (error: Error | null, value?: unknown) => void): void {
  try {
    done(null, parseJsonBody(body))
  } catch (error) {
    done(error as Error, undefined)
  }
}

/** The HTTP surface: routes, limits, access control, JSON parsing, and the one error path. No routing decisions. */
export function createServer(
  services: HttpServices,
  settings: ServerSettings = DEFAULT_SERVER_SETTINGS,
): FastifyInstance {
  const app = Fastify({
    bodyLimit: services.bodyLimitBytes,
    logger: false,
    // SmartSplit's own ids (x-request-id on every response); a client's header is not trusted into logs.
    genReqId: () => services.newRequestId(),
    requestIdHeader: false,
    // Node (≥ 18) applies both to receiving the request only: a slow-header or slow-body client is cut
    // off, while a response, streamed for minutes or not, is never limited by them.
    requestTimeout: settings.requestTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    http: {
      maxHeaderSize: settings.maxHeaderBytes,
      headersTimeout: settings.headersTimeoutMs,
      connectionsCheckingInterval: timeoutCheckIntervalMs(settings),
    },
    // A base URL typed with a trailing slash, joined to a path by concatenation, asks for /v1//responses.
    routerOptions: { ignoreDuplicateSlashes: true },
    rewriteUrl: (request) => collapseDoubledApiPrefix(request.url ?? '/'),
    // The shutdown gate answers in OpenAI's shape instead of Fastify's own 503.
    return503OnClosing: false,
    // Bodies are validated by the wire/ parsers (zod), never by Fastify route schemas: without this, Fastify
    // loads Ajv and fast-json-stringify at startup (about 3 MB of RSS) for nothing.
    schemaController: { compilersFactory: NO_SCHEMA_COMPILERS },
    // Bad URLs and the like go through the one error path too, in the path's dialect.
    frameworkErrors: (error, request, reply) => {
      const response = toDialectErrorResponse(error, request, services.redact)
      void (reply as FastifyReply).status(response.status).send(response.body)
    },
    // Malformed HTTP or oversized headers never reach a route: answer them in OpenAI's shape as well.
    clientErrorHandler: (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return
      const { status, message, code } = describeClientError(error)
      const body = JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code } })
      socket.end(
        `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      )
    },
  })

  // Parse every body as JSON whatever its content type: curl and some clients omit or mislabel it.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    const encoding = request.headers['content-encoding']
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity' && body.length > 0) {
      decodeBody(body, encoding, services.bodyLimitBytes).then(
        (decoded) => parseInto(decoded, done),
        (error: Error) => done(error, undefined),
      )
      return
    }
    parseInto(body, done)
  })

  // Every API response names the provider and model that answered; "none" until one did.
  app.decorateRequest('receivedAtMs', 0)
  app.decorateRequest('failure', null)
  app.decorateRequest('isStreamed', false)
  app.addHook('onRequest', async (request, reply) => {
    request.receivedAtMs = services.nowMs()
    // On the raw response, so streamed answers (written past Fastify) carry it too.
    reply.raw.setHeader('x-request-id', request.id)
    if (request.url.startsWith('/v1/'))
      reply.header('x-smartsplit-provider', 'none').header('x-smartsplit-model', 'none')
  })
  registerSecurity(app, settings, () =>
    services.providers.some((provider) => provider.enabled) ? 'ok' : 'no_providers',
  )

  // One line per request once its response is done; a streamed one logs itself (see stream-to-client).
  app.addHook('onResponse', async (request, reply) => {
    if (request.isStreamed) return
    services.logRequest({
      requestId: request.id,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      status: reply.statusCode,
      receivedAtMs: request.receivedAtMs,
      client: clientName(request),
      error: request.failure,
    })
  })

  app.setErrorHandler((error, request, reply) => {
    request.failure = error
    if (isBodyTooLarge(error)) drainRefusedBody(request, reply)
    const response = toDialectErrorResponse(error, request, services.redact)
    // SmartSplit's own errors (all providers down, a client gone) are logged where they happen, not as crashes.
    if (response.status >= 500 && !(error instanceof SmartSplitError)) services.logError(error)
    return reply.status(response.status).headers(response.headers).send(response.body)
  })
  app.setNotFoundHandler((request, reply) => {
    const message = unknownRouteMessage(request)
    const response = toDialectErrorResponse(new NotFoundError(message), request, services.redact)
    return reply.status(404).send(response.body)
  })

  registerChatCompletions(app, services)
  registerCompletions(app, services)
  registerEmbeddings(app, services)
  registerModels(app, services)
  registerMessages(app, services)
  registerResponses(app, services)
  registerPlan(app, services)
  registerMetrics(app, services)
  registerHealth(app, services)
  registerDashboard(app, services, settings.apiKeys)
  registerRoot(app)
  return app
}
