import { Counter, type Registry } from 'prom-client'

interface Count<L extends string> {
  labels: Record<L, string>
  value: number
}

/**
 * Counts by label set: the one place a figure is counted. The JSON of GET /metrics sums it directly and
 * the Prometheus counter made by `exposeAsCounter` reads it at scrape time, so the two never disagree.
 */
export class LabeledCounts<L extends string> {
  readonly #labelNames: readonly L[]
  readonly #counts = new Map<string, Count<L>>()

  constructor(labelNames: readonly L[]) {
    this.#labelNames = labelNames
  }

  get labelNames(): readonly L[] {
    return this.#labelNames
  }

  add(labels: Record<L, string>, by = 1): void {
    const key = this.#labelNames.map((name) => labels[name]).join('\u0000')
    const count = this.#counts.get(key)
    if (count === undefined) this.#counts.set(key, { labels: { ...labels }, value: by })
    else count.value += by
  }

  /** The sum over every label set that matches `where` (all of them without it). */
  sum(where: Partial<Record<L, string>> = {}): number {
    let total = 0
    for (const count of this.#counts.values()) if (matches(count.labels, where)) total += count.value
    return total
  }

  /** The sums grouped by one label's values, in first-counted order. */
  sumBy(label: L, where: Partial<Record<L, string>> = {}): Map<string, number> {
    const sums = new Map<string, number>()
    for (const count of this.#counts.values()) {
      if (!matches(count.labels, where)) continue
      const value = count.labels[label]
      sums.set(value, (sums.get(value) ?? 0) + count.value)
    }
    return sums
  }

  entries(): IterableIterator<Count<L>> {
    return this.#counts.values()
  }
}

function matches<L extends string>(labels: Record<L, string>, where: Partial<Record<L, string>>): boolean {
  for (const name in where) if (labels[name] !== where[name]) return false
  return true
}

/** A Prometheus counter that reports `counts` when scraped (nothing is counted twice). */
export function exposeAsCounter<L extends string>(
  counts: LabeledCounts<L>,
  metric: { name: string; help: string; registry: Registry },
): void {
  new Counter<L>({
    name: metric.name,
    help: metric.help,
    labelNames: counts.labelNames,
    registers: [metric.registry],
    collect() {
      this.reset()
      for (const { labels, value } of counts.entries()) {
        if (counts.labelNames.length === 0) this.inc(value)
        else this.inc(labels as Partial<Record<L, string | number>>, value)
      }
    },
  })
}
