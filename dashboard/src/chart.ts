import { h, s } from './dom.js'
import { count } from './format.js'

export interface BarSeries {
  label: string
  /** A CSS class giving the bars their colour. */
  className: string
  values: readonly number[]
}

const WIDTH = 600
const HEIGHT = 140
const PAD_TOP = 8
const PAD_BOTTOM = 2

/** Time labels under the bars, as HTML so that they keep their shape when the chart stretches. */
function ticks(labels: readonly string[], maxText: string): HTMLElement {
  const row = h('div', { class: 'ticks', 'aria-hidden': 'true' })
  const every = Math.max(1, Math.ceil(labels.length / 6))
  for (let i = 0; i < labels.length; i += every) {
    const tick = h('span', {}, labels[i] ?? '')
    tick.style.left = `${(i / labels.length) * 100}%`
    row.appendChild(tick)
  }
  row.appendChild(h('span', { class: 'max' }, `max ${maxText}`))
  return row
}

/**
 * Stacked bars as one SVG stretched to its container. Each bar has a <title> (hover) and the chart an
 * accessible label; the figures themselves are in the tiles and tables next to it.
 */
export function barChart(
  title: string,
  series: readonly BarSeries[],
  labels: readonly string[],
  format: (value: number) => string = count,
): HTMLElement {
  const n = labels.length
  const totals = labels.map((_, i) => series.reduce((sum, each) => sum + (each.values[i] ?? 0), 0))
  const max = Math.max(...totals) || 1
  const step = WIDTH / Math.max(1, n)
  const plot = HEIGHT - PAD_TOP - PAD_BOTTOM
  const svg = s('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: 'img',
    'aria-label': `${title}: highest ${format(max)}`,
    class: 'chart',
    preserveAspectRatio: 'none',
  })
  svg.appendChild(
    s('line', { x1: 0, x2: WIDTH, y1: HEIGHT - PAD_BOTTOM, y2: HEIGHT - PAD_BOTTOM, class: 'axis' }),
  )
  for (let i = 0; i < n; i++) {
    let y = HEIGHT - PAD_BOTTOM
    const parts: string[] = []
    for (const each of series) {
      const value = each.values[i] ?? 0
      if (value <= 0) continue
      const height = (value / max) * plot
      y -= height
      const bar = s('rect', {
        x: i * step + 1,
        y,
        width: Math.max(1, step - 2),
        height,
        class: each.className,
      })
      svg.appendChild(bar)
      parts.push(`${each.label} ${format(value)}`)
    }
    if (parts.length > 0) {
      const hit = s('rect', { x: i * step, y: PAD_TOP, width: step, height: plot, class: 'hit' })
      hit.appendChild(s('title', {}, `${labels[i]}: ${parts.join(', ')}`))
      svg.appendChild(hit)
    }
  }
  return h('figure', { class: 'chart-box' }, svg, ticks(labels, format(max)))
}
