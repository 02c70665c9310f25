import type { FastifyInstance, FastifyRequest } from 'fastify'
import { SmartSplitError } from '../../errors.js'
import { hostnameOf, isLoopbackHost } from './loopback.js'
import { sendRejection } from './send-rejection.js'

export interface CrossOriginSettings {
  /** Origins answered with CORS headers; "*" allows any. */
  corsOrigins: readonly string[]
  /** True when SmartSplit listens on loopback with no access keys: only local names may address it. */
  isLocalOnly: boolean
}

const EXPOSED_HEADERS =
  'x-smartsplit-provider, x-smartsplit-model, x-smartsplit-mode, x-smartsplit-attempts, retry-after'

const forbidden = (message: string, code: string): SmartSplitError =>
  new SmartSplitError(message, { status: 403, type: 'invalid_request_error', code })

function isSameOrigin(origin: string, request: FastifyRequest): boolean {
  try {
    return new URL(origin).host === request.headers.host
  } catch {
    return false
  }
}

/**
 * Browsers only. CORS is off unless server.cors_origins lists the origin: a page from another origin
 * gets a 403 instead of silently spending the user's quota with a "simple" POST, and preflights of
 * listed origins are answered here, before the access-key check (browsers send no credentials in them).
 * Without access keys on loopback, a Host header that is not a local name is refused too: that is
 * how a DNS-rebinding page would reach a local SmartSplit as if it were its own origin.
 */
export function registerCrossOrigin(app: FastifyInstance, settings: CrossOriginSettings): void {
  const allowsAny = settings.corsOrigins.includes('*')
  const allowed = new Set(settings.corsOrigins)
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host ?? ''
    // HTTP/1.0 clients may omit Host; browsers never do, so only a named host can be a rebinding.
    if (settings.isLocalOnly && host !== '' && !isLoopbackHost(hostnameOf(host))) {
      const message = `Requests addressed to "${host}" are refused: without access keys SmartSplit answers only localhost names. Use http://127.0.0.1, or set server.api_keys.`
      return sendRejection(request, reply, forbidden(message, 'host_not_allowed'))
    }
    const origin = request.headers.origin
    if (origin === undefined) return
    if (!allowsAny && !allowed.has(origin)) {
      if (isSameOrigin(origin, request)) return
      const message = `Cross-origin requests from ${origin} are refused. Add it to server.cors_origins to allow it.`
      return sendRejection(request, reply, forbidden(message, 'origin_not_allowed'))
    }
    // Set on the raw response so streamed (hijacked) answers carry them too.
    reply.raw.setHeader('access-control-allow-origin', origin)
    reply.raw.setHeader('vary', 'Origin')
    reply.raw.setHeader('access-control-expose-headers', EXPOSED_HEADERS)
    const preflightMethod = request.headers['access-control-request-method']
    if (request.method !== 'OPTIONS' || preflightMethod === undefined) return
    return reply
      .status(204)
      .headers({
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers':
          request.headers['access-control-request-headers'] ?? 'authorization, content-type, x-api-key',
        'access-control-max-age': '600',
      })
      .send()
  })
}
