import { fill, h } from '../dom.js'
import { count, dateTime, ms, usd } from '../format.js'
import type { DashboardSnapshot, RequestView } from '../types.js'
import type { View } from './view.js'

interface Filter {
  text: string
  outcome: 'all' | 'ok' | 'failed' | 'failover'
}

const FAILURE_FREE = new Set(['ok', 'skipped', 'refused'])

function matches(request: RequestView, filter: Filter): boolean {
  const isFailover = request.attempts.some((attempt) => !FAILURE_FREE.has(attempt.outcome))
  if (filter.outcome === 'ok' && request.outcome !== 'ok') return false
  if (filter.outcome === 'failed' && request.outcome === 'ok') return false
  if (filter.outcome === 'failover' && !(isFailover && request.outcome === 'ok')) return false
  if (filter.text === '') return true
  const haystack = [
    request.requestId,
    request.endpoint,
    request.client,
    request.task,
    request.route,
    request.provider,
    request.model,
    String(request.status ?? ''),
  ]
    .join(' ')
    .toLowerCase()
  return haystack.includes(filter.text.toLowerCase())
}

function row(request: RequestView, onOpen: (request: RequestView) => void): HTMLElement {
  const open = h(
    'button',
    {
      type: 'button',
      class: 'link',
      'aria-label': `Details of ${request.requestId ?? `request ${request.id}`}`,
    },
    dateTime(request.timeMs).slice(11),
  )
  open.addEventListener('click', () => onOpen(request))
  return h(
    'tr',
    { 'data-request-id': request.requestId ?? '', 'data-outcome': request.outcome },
    h('td', {}, open),
    h('td', {}, request.endpoint ?? '—'),
    h('td', { class: 'clip' }, request.client ?? '—'),
    h('td', {}, request.task),
    h('td', {}, request.route),
    h('td', {}, request.provider === null ? '—' : `${request.provider}/${request.model ?? ''}`),
    h('td', {}, request.attempts.map((a) => `${a.provider}=${a.outcome}`).join(', ')),
    h('td', { class: 'num' }, ms(request.latencyMs)),
    h('td', { class: 'num' }, ms(request.firstTokenMs)),
    h('td', { class: 'num' }, `${count(request.tokensIn)} / ${count(request.tokensOut)}`),
    h(
      'td',
      { class: `num status ${request.outcome}` },
      request.status === null ? request.outcome : String(request.status),
    ),
  )
}

function detail(request: RequestView): HTMLElement[] {
  const facts: [string, string][] = [
    ['Request id', request.requestId ?? '—'],
    ['Time', dateTime(request.timeMs)],
    ['Endpoint', request.endpoint ?? '—'],
    ['Client', request.client ?? '—'],
    ['Tasks', request.tasks.join(', ')],
    ['Route / mode', `${request.route} / ${request.mode}`],
    ['Answered by', request.provider === null ? 'nobody' : `${request.provider}/${request.model ?? ''}`],
    ['Status / outcome', `${request.status ?? '—'} / ${request.outcome}`],
    ['Latency / first token', `${ms(request.latencyMs)} / ${ms(request.firstTokenMs)}`],
    [
      'Tokens in / out',
      `${count(request.tokensIn)} / ${count(request.tokensOut)}${request.tokensEstimated ? ' (estimated)' : ''}`,
    ],
    ['Saved', usd(request.savedUsd)],
  ]
  return [
    h('dl', {}, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
    h('h4', {}, 'Attempts'),
    h(
      'ol',
      {},
      ...request.attempts.map((a) =>
        h('li', {}, `${a.provider}/${a.model} key ${a.keyIndex + 1}: ${a.outcome}, ${ms(a.latencyMs)}`),
      ),
    ),
    h('h4', {}, 'Prompt'),
    request.prompt === null
      ? h('p', { class: 'muted' }, 'Not kept: prompts are stored only with "log_prompts": true.')
      : h('pre', { class: 'prompt' }, request.prompt),
  ]
}

/** The recent request log from the store, filterable, with a detail panel per request. */
export function requestsView(): View {
  const filter: Filter = { text: '', outcome: 'all' }
  let tbody: HTMLElement | null = null
  let panel: HTMLElement | null = null
  let latest: DashboardSnapshot | null = null
  const open = (request: RequestView): void => {
    if (panel === null) return
    fill(panel, h('h3', { tabindex: '-1' }, `Request ${request.requestId ?? request.id}`), ...detail(request))
    panel.hidden = false
    ;(panel.firstElementChild as HTMLElement).focus()
  }
  const draw = (): void => {
    if (tbody === null || latest === null) return
    const shown = latest.requests.filter((request) => matches(request, filter)).slice(0, 300)
    fill(tbody, ...shown.map((request) => row(request, open)))
  }
  return {
    title: 'Requests',
    mount(root) {
      const search = h('input', {
        type: 'search',
        id: 'request-filter',
        placeholder: 'provider, task, client, status…',
      })
      search.addEventListener('input', () => {
        filter.text = search.value.trim()
        draw()
      })
      const outcome = h(
        'select',
        { id: 'request-outcome' },
        ...['all', 'ok', 'failed', 'failover'].map((v) => h('option', { value: v }, v)),
      )
      outcome.addEventListener('change', () => {
        filter.outcome = outcome.value as Filter['outcome']
        draw()
      })
      const heads = [
        'Time',
        'Endpoint',
        'Client',
        'Task',
        'Route',
        'Answered by',
        'Attempts',
        'Latency',
        'TTFT',
        'Tokens in / out',
        'Status',
      ]
      tbody = h('tbody')
      panel = h('section', { class: 'detail', 'aria-label': 'Request details', hidden: true })
      fill(
        root,
        h('h2', {}, 'Requests'),
        h(
          'div',
          { class: 'toolbar' },
          h('label', { for: 'request-filter' }, 'Filter '),
          search,
          h('label', { for: 'request-outcome' }, ' Outcome '),
          outcome,
        ),
        h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { class: 'requests' },
            h('thead', {}, h('tr', {}, ...heads.map((t) => h('th', { scope: 'col' }, t)))),
            tbody,
          ),
        ),
        panel,
      )
    },
    update(snapshot) {
      latest = snapshot
      draw()
    },
  }
}
