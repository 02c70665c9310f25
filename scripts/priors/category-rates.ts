import type { Snapshot } from './evidence-inputs.js'

// One source category's published figures on 0..1, by canonical model: the priors build normalizes them,
// and the routing replay simulates per-prompt outcomes from them (bench/routing/outcome-views.ts).

const winProbability = (rating: number, anchor: number): number => 1 / (1 + 10 ** ((anchor - rating) / 400))

/**
 * How a figure of the category goes onto 0..1: a percentage divided by 100, a rating as the probability
 * of winning against the source's anchor on the same board (null: the board has no anchor row).
 */
export function toUnit(snapshot: Snapshot, category: string): ((value: number) => number) | null {
  if (snapshot.scale === 'percent') return (value) => value / 100
  const anchor = snapshot.rows.find((r) => r.model === snapshot.anchor && r.category === category)
  return anchor === undefined ? null : (rating) => winProbability(rating, anchor.value)
}

/** The canonical model id a source's name maps to; null when the alias map leaves it out or unmapped. */
export const canonicalOf = (alias: Readonly<Record<string, string | null>>, name: string): string | null =>
  (Object.hasOwn(alias, name) ? alias[name] : null) ?? null

/** Canonical model id → the category's figure on 0..1 (the first row mapped to a model stands). */
export function publishedRates(
  snapshot: Snapshot,
  category: string,
  alias: Readonly<Record<string, string | null>>,
): Map<string, number> {
  const rates = new Map<string, number>()
  const unit = toUnit(snapshot, category)
  if (unit === null) return rates
  for (const row of snapshot.rows) {
    const model = canonicalOf(alias, row.model)
    if (row.category !== category || model === null || rates.has(model)) continue
    rates.set(model, unit(row.value))
  }
  return rates
}
