import type { FastifyInstance } from 'fastify'
import { AuthenticationError } from '../../errors.js'
import { type AccessVerdict, createAccessCheck } from './access-keys.js'
import { createSessionCheck } from './dashboard-session.js'
import { isAnthropicRoute, sendRejection } from './send-rejection.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** True once the access-key check passed, or when no access keys are configured. */
    isAuthenticated: boolean
  }
}

function explain(verdict: Exclude<AccessVerdict, 'granted'>, isAnthropic: boolean): string {
  const how = isAnthropic
    ? 'Send it as the x-api-key header (ANTHROPIC_API_KEY) or as "Authorization: Bearer <key>".'
    : 'Send it as "Authorization: Bearer <key>" (the API key setting of your OpenAI client).'
  const what =
    verdict === 'missing'
      ? 'This SmartSplit requires an access key and the request carries none.'
      : 'The access key is not valid for this SmartSplit.'
  return `${what} ${how} Keys are set on the server with SMARTSPLIT_API_KEY or server.api_keys.`
}

/**
 * Dashboard paths an unauthenticated browser may still reach: its pages answer with the login form, its
 * assets hold no data, and the login route checks the key itself. Its data (/dashboard/api/) is refused.
 */
function isDashboardPage(path: string, method: string): boolean {
  if (path === '/dashboard/login') return method === 'GET' || method === 'POST'
  if (method !== 'GET' && method !== 'HEAD') return false
  return path === '/dashboard' || path === '/dashboard/' || path.startsWith('/dashboard/assets/')
}

/**
 * With access keys configured, every route but /health needs one (401 otherwise), and /health tells an
 * unauthenticated caller only whether SmartSplit is up. A browser logged in to the dashboard presents
 * its session cookie instead (HttpOnly, SameSite=Strict: other sites' pages cannot send it). Without keys
 * (loopback only) everything is open.
 */
export function registerAccessControl(
  app: FastifyInstance,
  keys: readonly string[],
  healthStatus: () => string,
): void {
  app.decorateRequest('isAuthenticated', false)
  if (keys.length === 0) {
    app.addHook('onRequest', async (request) => {
      request.isAuthenticated = true
    })
    return
  }
  const check = createAccessCheck(keys)
  const hasSession = createSessionCheck(keys)
  app.addHook('onRequest', async (request, reply) => {
    const verdict = check(request)
    if (verdict === 'granted' || hasSession(request.headers.cookie)) {
      request.isAuthenticated = true
      return
    }
    const path = request.url.split('?')[0] ?? ''
    if (isDashboardPage(path, request.method)) return
    if (path === '/health' && (request.method === 'GET' || request.method === 'HEAD')) {
      const status = healthStatus()
      return reply.status(status === 'ok' ? 200 : 503).send({ status })
    }
    const isAnthropic = isAnthropicRoute(request)
    return sendRejection(request, reply, new AuthenticationError(explain(verdict, isAnthropic)), {
      'www-authenticate': 'Bearer realm="smartsplit"',
    })
  })
}
