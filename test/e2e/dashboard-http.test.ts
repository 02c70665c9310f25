import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DashboardSnapshot } from '../../src/dashboard/types.js'
import {
  type DashboardScene,
  driveTraffic,
  rateLimitFirst,
  startDashboardScene,
} from '../support/dashboard-scene.js'

// Issue 20: the dashboard's HTTP side without a browser: its data matches /metrics and /health, it is
// locked behind the access key beyond loopback (a login form and an HttpOnly, SameSite=Strict cookie),
// every response carries a strict Content-Security-Policy, and nothing changes state on GET.

const ACCESS_KEY = 'ss-dashboard-access-key-0123456789'

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await request(url, { headers })
  const text = await response.body.text()
  return { status: response.statusCode, headers: response.headers, text }
}

async function postForm(url: string, form: Record<string, string>) {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  })
  await response.body.text()
  return { status: response.statusCode, headers: response.headers }
}

/** Reads an SSE stream until `until` holds for the events seen so far (or the time runs out). */
async function readEvents(
  url: string,
  headers: Record<string, string>,
  until: (events: { event: string; data: string }[]) => boolean,
  timeoutMs = 8_000,
): Promise<{ event: string; data: string }[]> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  const events: { event: string; data: string }[] = []
  try {
    const response = await fetch(url, { headers, signal: controller.signal })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const piece of response.body!) {
      buffer += decoder.decode(piece as Uint8Array, { stream: true })
      let end = buffer.indexOf('\n\n')
      while (end !== -1) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf('\n\n')
        const event = /^event: (.*)$/m.exec(frame)?.[1]
        const data = frame
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n')
        if (event !== undefined) events.push({ event, data })
      }
      if (until(events)) break
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error
  } finally {
    clearTimeout(timer)
    controller.abort()
  }
  return events
}

describe('the dashboard on loopback without access keys', () => {
  let scene: DashboardScene
  beforeAll(async () => {
    scene = await startDashboardScene()
    await driveTraffic(scene, 4)
    await rateLimitFirst(scene)
  })
  afterAll(() => scene.close())

  it('serves the page with a strict Content-Security-Policy and its assets from the package', async () => {
    const page = await get(`${scene.smartsplit.url}/dashboard`)
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(page.headers['x-frame-options']).toBe('DENY')
    const script = /src="(\/dashboard\/assets\/app\.js\?v=[0-9a-f]+)"/.exec(page.text)?.[1]
    expect(script).toBeDefined()
    const asset = await get(`${scene.smartsplit.url}${script}`)
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/)
    // Nothing is loaded from elsewhere: no URL with a host in the page or its script.
    expect(`${page.text}${asset.text}`).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
    expect((await get(`${scene.smartsplit.url}/dashboard/assets/nothing.js`)).status).toBe(404)
  })

  it('reports the same figures as /metrics and the same key states as /health', async () => {
    const snapshot = JSON.parse(
      (await get(`${scene.smartsplit.url}/dashboard/api/snapshot`)).text,
    ) as DashboardSnapshot
    const metrics = JSON.parse((await get(`${scene.smartsplit.url}/metrics`)).text)
    const health = JSON.parse((await get(`${scene.smartsplit.url}/health`)).text)
    expect(snapshot.overview.requests).toBe(metrics.requests.total)
    expect(snapshot.overview.requests).toBe(5)
    expect(snapshot.overview.failovers).toBe(metrics.traffic.failovers)
    expect(snapshot.overview.failovers).toBe(1)
    expect(snapshot.overview.tokensIn).toBe(metrics.traffic.tokens_in)
    expect(snapshot.overview.savedUsd).toBe(metrics.savings.cost_saved_usd)
    const groq = snapshot.providers.find((provider) => provider.name === 'groq')!
    const groqHealth = health.state.find((entry: { provider: string }) => entry.provider === 'groq')
    expect(groq.models[0]!.keys[0]!.state).toBe('cooldown')
    expect(groq.models[0]!.keys[0]!.state).toBe(groqHealth.models[0].keys[0].state)
    expect(groq.models[0]!.keys[0]!.fingerprint).toMatch(/^[0-9a-f]{12}$/)
    expect(groq.models[0]!.errors).toEqual({ rate_limit: 1 })
    // The request log: newest first, each with its endpoint, client, status and attempts.
    const [newest] = snapshot.requests
    expect(snapshot.requests).toHaveLength(5)
    expect(newest).toMatchObject({ endpoint: '/v1/chat/completions', status: 200, provider: 'openrouter' })
    expect(newest!.client).toMatch(/^OpenAI\/JS/)
    expect(newest!.attempts.map((a) => a.outcome)).toEqual(['rate_limit', 'ok'])
    expect(newest!.prompt).toBeNull()
    const served = snapshot.routing.tasks.reduce((sum, task) => sum + task.requests, 0)
    expect(served).toBe(5)
  })

  it('ends open dashboard streams when the server stops, so a shutdown never waits for one', async () => {
    const extra = await startDashboardScene()
    const response = await fetch(`${extra.smartsplit.url}/dashboard/api/events`)
    const reader = response.body!.getReader()
    await reader.read()
    const startedMs = Date.now()
    await extra.close()
    expect(Date.now() - startedMs).toBeLessThan(3_000)
    for (;;) if ((await reader.read()).done) break
  })

  it('streams a snapshot, then each new request and the state that changed', async () => {
    const url = `${scene.smartsplit.url}/dashboard/api/events`
    const done = readEvents(url, {}, (events) => events.some((e) => e.event === 'requests'))
    await new Promise((resolve) => setTimeout(resolve, 300))
    await driveTraffic(scene, 1)
    const events = await done
    expect(events[0]!.event).toBe('snapshot')
    const fresh = JSON.parse(events.find((e) => e.event === 'requests')!.data)
    expect(fresh).toHaveLength(1)
    expect(fresh[0]).toMatchObject({ status: 200, endpoint: '/v1/chat/completions' })
    expect(events.some((e) => e.event === 'totals')).toBe(true)
  })
})

describe('the dashboard behind an access key', () => {
  let scene: DashboardScene
  beforeAll(async () => {
    scene = await startDashboardScene({ server: { api_keys: [ACCESS_KEY] } })
  })
  afterAll(() => scene.close())

  it('shows the login form instead of the page, and refuses its data, without a session', async () => {
    const page = await get(`${scene.smartsplit.url}/dashboard`)
    expect(page.status).toBe(401)
    expect(page.text).toContain('<form method="post" action="/dashboard/login">')
    expect(page.text).not.toContain('app.js')
    for (const path of ['/dashboard/api/snapshot', '/dashboard/api/events'])
      expect((await get(`${scene.smartsplit.url}${path}`)).status).toBe(401)
    const forged = await get(`${scene.smartsplit.url}/dashboard/api/snapshot`, {
      cookie: 'smartsplit_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    })
    expect(forged.status).toBe(401)
  })

  it('logs in with the access key by POST only, setting an HttpOnly, SameSite=Strict cookie', async () => {
    const wrong = await postForm(`${scene.smartsplit.url}/dashboard/login`, { key: 'not-the-key' })
    expect(wrong.status).toBe(401)
    expect(wrong.headers['set-cookie']).toBeUndefined()
    // A GET with the key in the query string logs nobody in.
    const viaGet = await get(`${scene.smartsplit.url}/dashboard/login?key=${ACCESS_KEY}`)
    expect(viaGet.headers['set-cookie']).toBeUndefined()
    const login = await postForm(`${scene.smartsplit.url}/dashboard/login`, { key: ACCESS_KEY })
    expect(login.status).toBe(303)
    expect(login.headers.location).toBe('/dashboard')
    const setCookie = String(login.headers['set-cookie'])
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    expect(setCookie).not.toContain(ACCESS_KEY)
    const cookie = setCookie.split(';')[0]!
    const page = await get(`${scene.smartsplit.url}/dashboard`, { cookie })
    expect(page.status).toBe(200)
    expect(page.text).toContain('action="/dashboard/logout"')
    const snapshot = await get(`${scene.smartsplit.url}/dashboard/api/snapshot`, { cookie })
    expect(snapshot.status).toBe(200)
    // The session works for the playground's API calls too, from the page's own origin.
    const answer = await request(`${scene.smartsplit.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(answer.statusCode).toBe(200)
    await answer.body.text()
  })
})
