import { fill, h } from '../dom.js'
import { count, ms, until } from '../format.js'
import type { KeyView, ModelView, ProviderView } from '../types.js'
import type { View } from './view.js'

const WINDOWS = [
  ['RPM', 'requestsMinute', 'rpm'],
  ['RPD', 'requestsDay', 'rpd'],
  ['TPM', 'tokensMinute', 'tpm'],
  ['TPD', 'tokensDay', 'tpd'],
] as const

/** What is left of one limit, as a bar; "no limit" when none is known. */
function capacityBar(label: string, remaining: number | null, limit: number | null): HTMLElement {
  if (limit === null || remaining === null)
    return h('div', { class: 'bar none' }, h('span', { class: 'bar-label' }, `${label} no limit known`))
  const share = limit === 0 ? 0 : Math.max(0, Math.min(1, remaining / limit))
  const meter = h('meter', {
    min: 0,
    max: limit,
    value: remaining,
    low: limit * 0.2,
    high: limit * 0.5,
    optimum: limit,
    'aria-label': `${label} left`,
  })
  return h(
    'div',
    { class: 'bar', 'data-window': label, 'data-remaining': remaining, 'data-limit': limit },
    h(
      'span',
      { class: 'bar-label' },
      `${label} ${count(remaining)} / ${count(limit)} (${Math.round(share * 100)} %)`,
    ),
    meter,
  )
}

function keyRow(provider: string, model: string, key: KeyView, nowMs: number): HTMLElement {
  const when = until(key.untilMs, nowMs)
  return h(
    'tr',
    { 'data-provider': provider, 'data-model': model, 'data-key': key.key, 'data-state': key.state },
    h(
      'th',
      { scope: 'row' },
      key.key,
      key.hint === null ? null : h('span', { class: 'muted' }, ` ${key.hint}`),
    ),
    h('td', { class: 'mono' }, key.fingerprint ?? '—'),
    h(
      'td',
      {},
      h(
        'span',
        { class: `state ${key.state}` },
        key.state === 'ok' ? 'ok' : `${key.state}${when ? ` ${when}` : ''}`,
      ),
      key.reason === null ? null : h('div', { class: 'reason' }, key.reason),
    ),
    h('td', {}, key.pool),
    h(
      'td',
      { class: 'bars' },
      ...WINDOWS.map(([label, r, l]) => capacityBar(label, key.remaining[r], key.limits[l])),
    ),
  )
}

function errorsText(errors: Record<string, number>): string {
  const entries = Object.entries(errors)
  return entries.length === 0 ? 'none' : entries.map(([kind, n]) => `${kind} ${n}`).join(', ')
}

function modelBlock(provider: string, model: ModelView, nowMs: number): HTMLElement {
  const breaker =
    model.breaker.state === 'closed'
      ? `breaker closed (${model.breaker.recentFailures} recent failures)`
      : `breaker ${model.breaker.state.replace('_', '-')} ${until(model.breaker.untilMs, nowMs)}`
  const learned =
    model.learned === null
      ? 'not yet'
      : `${model.learned.score.toFixed(2)} over ${count(model.learned.calls)} calls`
  return h(
    'div',
    { class: 'model', 'data-provider': provider, 'data-model': model.model },
    h('h4', {}, model.model),
    h(
      'p',
      { class: 'facts' },
      h('span', { 'data-breaker': model.breaker.state }, breaker),
      h(
        'span',
        {},
        `last hour: ${count(model.calls)} calls, p50 ${ms(model.latencyP50Ms)}, p95 ${ms(model.latencyP95Ms)}`,
      ),
      h('span', {}, `errors: ${errorsText(model.errors)}`),
      h('span', {}, `learned score: ${learned}`),
    ),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Key', 'Fingerprint', 'State', 'Pool', 'Remaining'].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        h('tbody', {}, ...model.keys.map((key) => keyRow(provider, model.model, key, nowMs))),
      ),
    ),
  )
}

function providerBlock(provider: ProviderView, nowMs: number): HTMLElement {
  const status = provider.enabled ? provider.tier : `disabled: ${provider.disabledReason ?? 'not configured'}`
  return h(
    'section',
    { class: 'provider', 'data-provider': provider.name, 'data-enabled': provider.enabled },
    h(
      'h3',
      {},
      provider.name,
      ' ',
      h('span', { class: provider.enabled ? 'muted' : 'state disabled' }, status),
    ),
    provider.capacityAdvice === null ? null : h('p', { class: 'muted' }, provider.capacityAdvice),
    provider.nextDailyResetMs === null
      ? null
      : h(
          'p',
          { class: 'muted' },
          `Daily quotas reset ${until(provider.nextDailyResetMs, nowMs)} (${provider.dailyResetZone ?? ''})`,
        ),
    ...provider.retiredModels.map((gone) =>
      h(
        'p',
        { class: 'state disabled', 'data-retired': gone.model },
        `${gone.model} retired: ${gone.reason} (rechecked ${gone.recheckAt})`,
      ),
    ),
    ...provider.models.map((model) => modelBlock(provider.name, model, nowMs)),
  )
}

/** Every provider × model × key: state and why, capacity left, latency, errors, what was learned. */
export function providersView(): View {
  let body: HTMLElement | null = null
  return {
    title: 'Providers',
    mount(root) {
      body = h('div')
      fill(root, h('h2', {}, 'Providers'), body)
    },
    update(snapshot) {
      if (body === null) return
      if (snapshot.providers.length === 0)
        return fill(body, h('p', {}, 'No provider is configured: add a key (see smartsplit doctor).'))
      fill(body, ...snapshot.providers.map((provider) => providerBlock(provider, Date.now())))
    },
  }
}
