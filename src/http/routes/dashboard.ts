import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { DASHBOARD_ASSETS } from '../dashboard-assets.generated.js'
import { DASHBOARD_HEADERS, dashboardPage, loginPage } from '../dashboard-pages.js'
import { isAccessKey } from '../security/access-keys.js'
import { SESSION_COOKIE, sessionValue } from '../security/dashboard-session.js'
import type { HttpServices } from '../types.js'
import { registerDashboardEvents } from './dashboard-events.js'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
}

const html = (reply: FastifyReply, status: number, body: string): FastifyReply =>
  reply.status(status).headers(DASHBOARD_HEADERS).type('text/html; charset=utf-8').send(body)

/** The key a login form presents, when it is one of the access keys. */
function validKey(keys: readonly string[], presented: string): string | null {
  const key = presented.trim()
  return key !== '' && key.length <= 1000 && isAccessKey(keys, key) ? key : null
}

function cookie(request: FastifyRequest, value: string, maxAgeS: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : ''
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure}`
}

/** Login and logout take a plain HTML form: its parser lives in this scope only, never on the API. */
async function registerLogin(scope: FastifyInstance, keys: readonly string[]): Promise<void> {
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, done) => done(null, new URLSearchParams(String(body))),
  )
  scope.get('/dashboard/login', async (request, reply) =>
    request.isAuthenticated ? reply.redirect('/dashboard', 303) : html(reply, 200, loginPage(null)),
  )
  scope.post('/dashboard/login', async (request, reply) => {
    if (keys.length === 0) return reply.redirect('/dashboard', 303)
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams()
    const key = validKey(keys, form.get('key') ?? '')
    if (key === null) return html(reply, 401, loginPage('That access key is not valid here.'))
    return reply
      .header('set-cookie', cookie(request, sessionValue(key), 7 * 86_400))
      .redirect('/dashboard', 303)
  })
  scope.post('/dashboard/logout', async (request, reply) =>
    reply.header('set-cookie', cookie(request, '', 0)).redirect('/dashboard/login', 303),
  )
}

/**
 * GET /dashboard: the page (or the login form while the browser has no session), its assets, and its
 * data: /dashboard/api/snapshot (everything at once) and /dashboard/api/events (live updates, SSE).
 * Nothing here changes state on GET.
 */
export function registerDashboard(
  app: FastifyInstance,
  services: HttpServices,
  accessKeys: readonly string[],
): void {
  const showPage = async (request: FastifyRequest, reply: FastifyReply) =>
    request.isAuthenticated
      ? html(reply, 200, dashboardPage(accessKeys.length > 0))
      : html(reply, 401, loginPage(null))
  app.get('/dashboard', showPage)
  app.get('/dashboard/', showPage)
  app.get<{ Params: { name: string } }>('/dashboard/assets/:name', async (request, reply) => {
    const { name } = request.params
    const body = Object.hasOwn(DASHBOARD_ASSETS, name)
      ? DASHBOARD_ASSETS[name as keyof typeof DASHBOARD_ASSETS]
      : undefined
    const type = CONTENT_TYPES[name.split('.').pop() ?? '']
    if (body === undefined || type === undefined) return reply.callNotFound()
    // Versioned by the page (?v=hash): a browser may keep them for as long as it likes.
    return reply
      .headers({ ...DASHBOARD_HEADERS, 'cache-control': 'public, max-age=31536000, immutable' })
      .type(type)
      .send(body)
  })
  app.get('/dashboard/api/snapshot', async (_request, reply) =>
    reply.headers(DASHBOARD_HEADERS).send(services.dashboard.source.snapshot()),
  )
  registerDashboardEvents(app, services)
  app.register(async (scope) => registerLogin(scope, accessKeys))
}
