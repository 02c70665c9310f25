import { barChart } from '../chart.js'
import { fill, h } from '../dom.js'
import { clock, count, percent, usd } from '../format.js'
import type { OverviewView, TimelineBucket } from '../types.js'
import type { View } from './view.js'

type Window = 'hour' | 'day' | 'month'

const WINDOWS: readonly { name: Window; label: string }[] = [
  { name: 'hour', label: 'Last hour' },
  { name: 'day', label: 'Last day' },
  { name: 'month', label: 'Last 30 days' },
]

const labelOf = (window: Window, bucket: TimelineBucket): string =>
  window === 'month' ? new Date(bucket.startMs).toISOString().slice(5, 10) : clock(bucket.startMs).slice(0, 5)

/** One figure: `data-figure` names it and `data-value` holds it unformatted (the browser tests read both). */
function tile(name: string, label: string, value: number | null, text: string, note = ''): HTMLElement {
  return h(
    'div',
    { class: 'tile', 'data-figure': name, 'data-value': value === null ? '' : value },
    h('span', { class: 'label' }, label),
    h('span', { class: 'value' }, text),
    note === '' ? null : h('span', { class: 'note' }, note),
  )
}

function tiles(o: OverviewView): HTMLElement {
  return h(
    'section',
    { class: 'tiles', 'aria-label': 'Since this SmartSplit started' },
    tile('requests', 'Requests', o.requests, count(o.requests), `since ${clock(Date.parse(o.countsSince))}`),
    tile(
      'requests-per-minute',
      'Requests / min',
      o.requestsPerMinute,
      String(o.requestsPerMinute),
      'last 5 min',
    ),
    tile('success-rate', 'Success rate', o.successRate, percent(o.successRate), `${count(o.errors)} failed`),
    tile('errors', 'Failed', o.errors, count(o.errors)),
    tile('failovers', 'Failovers', o.failovers, count(o.failovers), 'answered after a provider failed'),
    tile('tokens-in', 'Tokens in', o.tokensIn, count(o.tokensIn)),
    tile('tokens-out', 'Tokens out', o.tokensOut, count(o.tokensOut)),
    tile('free-share', 'Free', o.freeShare, percent(o.freeShare), `${count(o.paid)} paid`),
    tile('saved', 'Saved', o.savedUsd, usd(o.savedUsd), `all time ${usd(o.allTime.cost_saved_usd)}`),
  )
}

function charts(o: OverviewView, window: Window): HTMLElement {
  const buckets = o.series[window]
  const labels = buckets.map((bucket) => labelOf(window, bucket))
  const answered = buckets.map((b) => b.requests - b.errors - b.failovers)
  return h(
    'section',
    { class: 'charts' },
    h('h3', {}, 'Requests'),
    barChart(
      'Requests',
      [
        { label: 'answered', className: 'ok', values: answered },
        { label: 'after failover', className: 'warn', values: buckets.map((b) => b.failovers) },
        { label: 'failed', className: 'bad', values: buckets.map((b) => b.errors) },
      ],
      labels,
    ),
    h(
      'p',
      { class: 'legend' },
      h('span', { class: 'key ok' }, 'answered'),
      h('span', { class: 'key warn' }, 'after failover'),
      h('span', { class: 'key bad' }, 'failed'),
    ),
    h('h3', {}, 'Saved (USD at the reference price)'),
    barChart(
      'Saved',
      [{ label: 'saved', className: 'ok', values: buckets.map((b) => b.savedUsd) }],
      labels,
      usd,
    ),
    h('h3', {}, 'Tokens'),
    barChart(
      'Tokens',
      [
        { label: 'in', className: 'in', values: buckets.map((b) => b.tokensIn) },
        { label: 'out', className: 'out', values: buckets.map((b) => b.tokensOut) },
      ],
      labels,
    ),
  )
}

/** Requests, success, failovers, tokens, free share and savings; charts over an hour, a day, 30 days. */
export function overviewView(): View {
  let window: Window = 'hour'
  let body: HTMLElement | null = null
  let latest: OverviewView | null = null
  const draw = (): void => {
    if (body !== null && latest !== null) fill(body, tiles(latest), charts(latest, window))
  }
  return {
    title: 'Overview',
    mount(root) {
      const buttons = WINDOWS.map((each) => {
        const button = h(
          'button',
          { type: 'button', 'aria-pressed': String(each.name === window) },
          each.label,
        )
        button.addEventListener('click', () => {
          window = each.name
          for (const other of buttons) other.setAttribute('aria-pressed', String(other === button))
          draw()
        })
        return button
      })
      body = h('div')
      fill(
        root,
        h('h2', {}, 'Overview'),
        h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Chart window' }, ...buttons),
        body,
      )
    },
    update(snapshot) {
      latest = snapshot.overview
      draw()
    },
  }
}
