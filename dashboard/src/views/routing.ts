import { fill, h } from '../dom.js'
import { count, percent } from '../format.js'
import type { RoutingView } from '../types.js'
import type { View } from './view.js'

const signed = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`

function taskTable(task: RoutingView['tasks'][number]): HTMLElement {
  return h(
    'section',
    { class: 'task', 'data-task': task.task },
    h(
      'h3',
      {},
      task.task,
      h('span', { class: 'muted' }, ` ${count(task.requests)} requests, ${count(task.failed)} failed`),
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
            ...['Provider', 'Model', 'Requests', 'Share', 'Prior', 'Learned'].map((t) =>
              h('th', { scope: 'col' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...task.rows.map((row) =>
            h(
              'tr',
              { 'data-provider': row.provider, 'data-model': row.model, 'data-requests': row.requests },
              h('th', { scope: 'row' }, row.provider),
              h('td', {}, row.model),
              h('td', { class: 'num' }, count(row.requests)),
              h(
                'td',
                { class: 'num' },
                h('meter', { min: 0, max: 1, value: row.share, 'aria-hidden': 'true' }),
                ` ${percent(row.share)}`,
              ),
              h('td', { class: 'num' }, row.prior.toFixed(2)),
              h('td', { class: 'num' }, signed(row.learnedAdjustment)),
            ),
          ),
        ),
      ),
    ),
  )
}

/** Per task, who answered what share and why: the prior it was ranked with and the learner's adjustment. */
export function routingView(): View {
  let body: HTMLElement | null = null
  return {
    title: 'Routing',
    mount(root) {
      body = h('div')
      fill(
        root,
        h('h2', {}, 'Routing'),
        h(
          'p',
          { class: 'muted' },
          'The last 24 hours. Prior: the quality the routing table gives the model for the task (public evidence, or your routing row). Learned: what SmartSplit’s own results add to it or take from it.',
        ),
        body,
      )
    },
    update(snapshot) {
      if (body === null) return
      const r = snapshot.routing
      fill(
        body,
        h(
          'p',
          { class: 'tiles' },
          h(
            'span',
            { class: 'tile', 'data-figure': 'single', 'data-value': r.single },
            h('span', { class: 'label' }, 'Single'),
            h('span', { class: 'value' }, count(r.single)),
          ),
          h(
            'span',
            { class: 'tile', 'data-figure': 'split', 'data-value': r.split },
            h('span', { class: 'label' }, 'Split'),
            h('span', { class: 'value' }, count(r.split)),
          ),
          h(
            'span',
            { class: 'tile', 'data-figure': 'enrich', 'data-value': r.enrich },
            h('span', { class: 'label' }, 'Enriched (web search)'),
            h('span', { class: 'value' }, count(r.enrich)),
          ),
        ),
        r.tasks.length === 0 ? h('p', {}, 'No requests in the last 24 hours.') : null,
        ...r.tasks.map(taskTable),
      )
    },
  }
}
