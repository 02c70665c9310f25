import type { Random } from '../../src/lib/random.js'
import type { TaskType } from '../../src/pipeline/analyze/types.js'
import type { ReplayRecord } from './simulate-routing.js'

// Per task, for one policy's records: coverage, quality of the scored answers, quality retained against
// always-the-strongest-free model and the share of the per-task oracle's gap (over the weakest model) closed, with percentile
// bootstrap CIs over the covered requests (the routing decisions stay as simulated; items are resampled).

export interface Interval {
  value: number
  low: number
  high: number
}

export interface Reference {
  /** One model for everything: the callable model with the best mean over every scored item. */
  strongest: string
  /** Per task: the best and the weakest callable model that has a score for every item of the task. */
  oracle: Partial<Record<TaskType, string>>
  weakest: Partial<Record<TaskType, string>>
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

function meanScore(records: readonly ReplayRecord[], model: string): number | null {
  const scores = records.map((r) => r.scores?.get(model))
  if (scores.length === 0 || scores.some((s) => s === undefined)) return null
  return mean(scores as number[])
}

/** The reference models, from every scored item of the replay (quotas ignored). */
export function chooseReference(records: readonly ReplayRecord[], callable: readonly string[]): Reference {
  const scored = records.filter((r) => r.scores !== null)
  const rank = (pool: readonly ReplayRecord[], best: boolean): string | undefined => {
    const means = callable.flatMap((model) => {
      const m = meanScore(pool, model)
      return m === null ? [] : [{ model, m }]
    })
    means.sort((a, b) => (best ? b.m - a.m : a.m - b.m) || a.model.localeCompare(b.model))
    return means[0]?.model
  }
  const tasks = [...new Set(scored.map((r) => r.task))]
  const pick = (best: boolean) =>
    Object.fromEntries(
      tasks.flatMap((task) => {
        const model = rank(
          scored.filter((r) => r.task === task),
          best,
        )
        return model === undefined ? [] : [[task, model]]
      }),
    ) as Partial<Record<TaskType, string>>
  return { strongest: rank(scored, true) ?? 'none', oracle: pick(true), weakest: pick(false) }
}

function ratios(covered: readonly ReplayRecord[], strongest: string, oracle: string, weakest: string) {
  let got = 0
  let top = 0
  let best = 0
  let worst = 0
  for (const r of covered) {
    got += r.quality ?? 0
    top += r.scores?.get(strongest) ?? 0
    best += r.scores?.get(oracle) ?? 0
    worst += r.scores?.get(weakest) ?? 0
  }
  return { retained: got / top, gapClosed: best === worst ? Number.NaN : (got - worst) / (best - worst) }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN
}

export function taskFigures(
  records: readonly ReplayRecord[],
  task: TaskType,
  reference: Reference,
  bootstrap: { random: Random; resamples: number },
): TaskFigures {
  const own = records.filter((r) => r.task === task)
  // Served and scored: an unserved request is counted in `served`, not as a zero, so that a policy whose
  // answers are unscored is not judged on its failures alone.
  const covered = own.filter((r) => r.served && r.quality !== null && r.scores?.has(reference.strongest))
  const oracle = reference.oracle[task] ?? reference.strongest
  const weakest = reference.weakest[task] ?? reference.strongest
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
    served: own.filter((r) => r.served).length,
    quality: mean(covered.map((r) => r.quality ?? 0)),
    retained: interval(point.retained, retained),
    gapClosed: interval(point.gapClosed, gap),
  }
}

/** Ceilings on the covered items of a task: the strongest model, the task's oracle, the per-prompt oracle. */
export function ceilings(
  records: readonly ReplayRecord[],
  task: TaskType,
  reference: Reference,
  callable: readonly string[],
) {
  const scored = records.filter((r) => r.task === task && r.scores !== null)
  const of = (model: string | undefined) =>
    mean(scored.map((r) => (model === undefined ? 0 : (r.scores?.get(model) ?? 0))))
  return {
    strongest: of(reference.strongest),
    taskOracle: of(reference.oracle[task]),
    weakest: of(reference.weakest[task]),
    promptOracle: mean(scored.map((r) => Math.max(0, ...callable.map((m) => r.scores?.get(m) ?? 0)))),
  }
}
