// The dashboard page: one EventSource keeps a copy of the server's views (state.ts) current, and the page
// shown (#/overview, #/providers…) redraws from it. No polling: the server sends what changed.
import { fill, h } from './dom.js'
import { applyEvent, state } from './state.js'
import { overviewView } from './views/overview.js'
import { playgroundView } from './views/playground.js'
import { providersView } from './views/providers.js'
import { requestsView } from './views/requests.js'
import { routingView } from './views/routing.js'
import type { View } from './views/view.js'

const EVENTS = ['snapshot', 'providers', 'overview', 'totals', 'routing', 'config', 'requests'] as const

const views: Record<string, () => View> = {
  overview: overviewView,
  providers: providersView,
  routing: routingView,
  requests: requestsView,
  playground: playgroundView,
}

const main = document.getElementById('main')!
const live = document.getElementById('live')!
const configError = document.getElementById('config-error')!
let current: { name: string; view: View } | null = null

function pageName(): string {
  const name = location.hash.replace(/^#\/?/, '')
  return Object.hasOwn(views, name) ? name : 'overview'
}

function show(): void {
  const name = pageName()
  if (current?.name !== name) {
    const view = views[name]!()
    current = { name, view }
    view.mount(main)
    document.title = `${view.title} · SmartSplit`
    for (const link of document.querySelectorAll('nav a'))
      link.toggleAttribute('aria-current', link.getAttribute('href') === `#/${name}`)
  }
  if (state.snapshot !== null) current.view.update(state.snapshot)
}

function showConfigStatus(): void {
  const config = state.snapshot?.config
  const problem = config?.lastError ?? null
  configError.hidden = problem === null && (config?.needsRestart.length ?? 0) === 0
  if (config === undefined) return
  fill(
    configError,
    problem === null
      ? null
      : h('p', {}, `The config file was not applied (the running config stays): ${problem.message}`),
    config.needsRestart.length === 0
      ? null
      : h('p', {}, `Changed settings that need a restart: ${config.needsRestart.join(', ')}`),
  )
}

function connect(): void {
  const source = new EventSource('/dashboard/api/events')
  source.addEventListener('open', () => {
    state.connected = true
    fill(live, 'live')
  })
  source.addEventListener('error', () => {
    state.connected = false
    fill(live, 'reconnecting…')
  })
  for (const event of EVENTS)
    source.addEventListener(event, (message) => {
      if (!applyEvent(event, (message as MessageEvent<string>).data)) return
      if (event === 'snapshot' || event === 'config') showConfigStatus()
      if (current !== null && current.name !== 'playground' && state.snapshot !== null)
        current.view.update(state.snapshot)
    })
}

window.addEventListener('hashchange', () => {
  show()
  main.focus()
})
show()
connect()
