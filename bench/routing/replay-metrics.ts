import type { Random } from '../../src/lib/random.js'
import type { ReplayRecord } from './simulate-routing.js'

// Per view (a task scored by one source category), for one policy's records: coverage, quality of the
// scored answers, quality retained against always-the-strongest-free model and the share of the view's
// oracle gap (over the weakest model) closed, with percentile bootstrap CIs over the covered requests (the
// routing decisions stay as simulated; items are resampled).

/** One request as one view scores it. */
export interface ReplayCell {
  view: string
  served: boolean
  /** The answering model's outcome (null: unserved, or the view does not cover the model). */
  quality: number | null
  /** Every covered model's outcome on this prompt, for the baselines. */
  scores: ReadonlyMap<string, number>
}

/** The cells of every record a view scores. */
export function cellsOf(records: readonly ReplayRecord[], view: string): ReplayCell[] {
  return records.flatMap((r) => {
    const scores = r.outcomes.get(view)
    if (scores === undefined) return []
    const quality = r.served && r.answered !== null ? (scores.get(r.answered) ?? null) : null
    return [{ view, served: r.served, quality, scores }]
  })
}

export interface Interval {
  value: number
  low: number
  high: number
}

export interface Reference {
  /** One model for everything: the callable model with the best mean over every scored cell. */
  strongest: string
  /** Per view: the best and the weakest callable model that has a score for every cell of the view. */
  oracle: Record<string, string>
  weakest: Record<string, string>
}

export interface TaskFigures {
  requests: number
  covered: number
  served: number
  quality: number
  retained: Interval
  gapClosed: Interval
}

const mean = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length

function meanScore(cells: readonly ReplayCell[], model: string): number | null {
  const scores = cells.map((c) => c.scores.get(model))
  if (scores.length === 0 || scores.some((s) => s === undefined)) return null
  return mean(scores as number[])
}

/** The reference models, from every cell of the replay (quotas ignored). */
export function chooseReference(cells: readonly ReplayCell[], callable: readonly string[]): Reference {
  const rank = (pool: readonly ReplayCell[], best: boolean): string | undefined => {
    const means = callable.flatMap((model) => {
      const m = meanScore(pool, model)
      return m === null ? [] : [{ model, m }]
    })
    means.sort((a, b) => (best ? b.m - a.m : a.m - b.m) || a.model.localeCompare(b.model))
    return means[0]?.model
  }
  const views = [...new Set(cells.map((c) => c.view))]
  const pick = (best: boolean): Record<string, string> =>
    Object.fromEntries(
      views.flatMap((view) => {
        const model = rank(
          cells.filter((c) => c.view === view),
          best,
        )
        return model === undefined ? [] : [[view, model]]
      }),
    )
  return { strongest: rank(cells, true) ?? 'none', oracle: pick(true), weakest: pick(false) }
}

function ratios(covered: readonly ReplayCell[], strongest: string, oracle: string, weakest: string) {
  let got = 0
  let top = 0
  let best = 0
  let worst = 0
  for (const r of covered) {
    got += r.quality ?? 0
    top += r.scores.get(strongest) ?? 0
    best += r.scores.get(oracle) ?? 0
    worst += r.scores.get(weakest) ?? 0
  }
  return { retained: got / top, gapClosed: best === worst ? Number.NaN : (got - worst) / (best - worst) }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN
}

/** One view's figures for one policy: `own` are the view's cells of that policy's records. */
export function viewFigures(
  own: readonly ReplayCell[],
  reference: Reference,
  bootstrap: { random: Random; resamples: number },
): TaskFigures {
  const view = own[0]?.view ?? ''
  // Served and scored: an unserved request is counted in `served`, not as a zero, so that a policy whose
  // answers are unscored is not judged on its failures alone.
  const covered = own.filter((c) => c.served && c.quality !== null && c.scores.has(reference.strongest))
  const oracle = reference.oracle[view] ?? reference.strongest
  const weakest = reference.weakest[view] ?? reference.strongest
  const point = ratios(covered, reference.strongest, oracle, weakest)
  const retained: number[] = []
  const gap: number[] = []
  for (let b = 0; b < bootstrap.resamples && covered.length > 0; b++) {
    const sample = covered.map(() => covered[Math.floor(bootstrap.random.next() * covered.length)]!)
    const r = ratios(sample, reference.strongest, oracle, weakest)
    retained.push(r.retained)
    gap.push(r.gapClosed)
  }
  const interval = (value: number, values: number[]): Interval => {
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
    return { value, low: percentile(sorted, 0.025), high: percentile(sorted, 0.975) }
  }
  return {
    requests: own.length,
    covered: covered.length,
    served: own.filter((c) => c.served).length,
    quality: mean(covered.map((c) => c.quality ?? 0)),
    retained: interval(point.retained, retained),
    gapClosed: interval(point.gapClosed, gap),
  }
}

/** Ceilings on a view's cells: the strongest model, the view's oracle and weakest, the per-prompt oracle. */
export function ceilings(cells: readonly ReplayCell[], reference: Reference, callable: readonly string[]) {
  const view = cells[0]?.view ?? ''
  const of = (model: string | undefined) =>
    mean(cells.map((c) => (model === undefined ? 0 : (c.scores.get(model) ?? 0))))
  return {
    strongest: of(reference.strongest),
    taskOracle: of(reference.oracle[view]),
    weakest: of(reference.weakest[view]),
    promptOracle: mean(cells.map((c) => Math.max(0, ...callable.map((m) => c.scores.get(m) ?? 0)))),
  }
}
