import { TASK_TYPES, type TaskType } from '../../src/pipeline/analyze/types.js'
import type { EvidencePriors, ModelTaskPrior } from '../../src/pipeline/route/evidence-priors.js'
import { canonicalOf, toUnit } from './category-rates.js'
import type { EvidenceInputs, Snapshot, TaskMapEntry } from './evidence-inputs.js'

// Per task: every (source, category) the task map names is put on 0..1 (Elo-like ratings as win
// probabilities against the source's anchor, with the source's stated resolution as the interval;
// percentages as they are, with a Wilson interval where the item count is published), then divided by
// the best reachable model's figure in that category, so each source says what share of the best free
// model's quality a reachable model keeps. A model's task score is the weighted mean over the
// categories that cover it; the spread keeps their disagreement. Sorted by score,
// models whose interval reaches the group leader's lower bound join its tie group and share its mean score.

/** A category must place at least this many reachable models to say anything about their order. */
export const MIN_MODELS_PER_CATEGORY = 3
const Z95 = 1.96

export interface BuildReport {
  /** `source/category` ids of the task map that cover too few reachable models, with the count. */
  skippedCategories: string[]
  /** Reachable models with no evidence on a task. */
  uncovered: Record<TaskType, string[]>
  /** Catalogue model strings of free providers that the alias map does not map. */
  unmappedCatalog: string[]
}

interface Point {
  value: number
  low: number
  high: number
}

const round = (value: number, digits = 4): number => Number(value.toFixed(digits))
const clamp01 = (value: number): number => Math.min(1, Math.max(0, value))

function wilson(p: number, n: number): [number, number] {
  const denominator = 1 + (Z95 * Z95) / n
  const centre = p + (Z95 * Z95) / (2 * n)
  const half = Z95 * Math.sqrt((p * (1 - p)) / n + (Z95 * Z95) / (4 * n * n))
  return [(centre - half) / denominator, (centre + half) / denominator]
}

interface Category {
  /** The reachable models the category places, keyed by canonical id, on a 0..1 scale. */
  points: Map<string, Point>
}

function categoryPoints(
  snapshot: Snapshot,
  category: string,
  alias: Readonly<Record<string, string | null>>,
  reachable: ReadonlySet<string>,
): Category {
  const points = new Map<string, Point>()
  const unit = toUnit(snapshot, category)
  const rows = snapshot.rows.filter((row) => row.category === category)
  if (unit === null || rows.length === 0) return { points }
  const half = snapshot.tie_half_width
  for (const row of rows) {
    const model = canonicalOf(alias, row.model)
    if (model === null || !reachable.has(model) || points.has(model)) continue
    const value = unit(row.value)
    const [low, high] =
      row.ci_low !== null && row.ci_high !== null
        ? [unit(row.ci_low), unit(row.ci_high)]
        : half !== null
          ? [unit(row.value - half), unit(row.value + half)]
          : snapshot.n !== null
            ? wilson(value, snapshot.n)
            : [value, value]
    points.set(model, { value, low, high })
  }
  return { points }
}

/**
 * Each reachable model's share of the best reachable model's figure in the category: the measure issue 23
 * judges routing by (quality retained against always-the-strongest-free). Unlike min–max it keeps how far
 * apart a source puts the models: LiveBench math places the reachable ones within 6 % of each other and
 * Arena math within 45 %, and a model no LiveBench figure covers must not gain from the others being
 * stretched to the bottom of a 0..1 range by a model nobody can reach.
 */
function normalized({ points }: Category): Map<string, Point> {
  const best = Math.max(...[...points.values()].map((p) => p.value))
  const scale = (v: number): number => (best > 0 ? clamp01(v / best) : 0)
  return new Map(
    [...points].map(([model, p]) => [
      model,
      { value: scale(p.value), low: scale(p.low), high: scale(p.high) },
    ]),
  )
}

interface Scored {
  model: string
  score: number
  low: number
  high: number
  spreadLow: number
  spreadHigh: number
  sources: string[]
  asOf: string
}

function scoreTask(
  entries: readonly TaskMapEntry[],
  inputs: EvidenceInputs,
  reachable: ReadonlySet<string>,
  skipped: Set<string>,
): Scored[] {
  const perModel = new Map<string, { entry: TaskMapEntry; point: Point; asOf: string }[]>()
  for (const entry of entries) {
    const snapshot = inputs.snapshots.find((s) => s.source === entry.source)
    if (snapshot === undefined) throw new Error(`task map names an unknown source: ${entry.source}`)
    const category = categoryPoints(
      snapshot,
      entry.category,
      inputs.aliases.sources[entry.source] ?? {},
      reachable,
    )
    if (category.points.size < MIN_MODELS_PER_CATEGORY) {
      skipped.add(`${entry.source}/${entry.category} (${category.points.size} reachable models)`)
      continue
    }
    for (const [model, point] of normalized(category)) {
      perModel.set(model, [...(perModel.get(model) ?? []), { entry, point, asOf: snapshot.as_of }])
    }
  }
  return [...perModel].map(([model, covered]) => {
    const weight = covered.reduce((sum, c) => sum + c.entry.weight, 0)
    const mean = (pick: (p: Point) => number): number =>
      covered.reduce((sum, c) => sum + c.entry.weight * pick(c.point), 0) / weight
    const values = covered.map((c) => c.point.value)
    return {
      model,
      score: mean((p) => p.value),
      low: mean((p) => p.low),
      high: mean((p) => p.high),
      spreadLow: Math.min(...values),
      spreadHigh: Math.max(...values),
      sources: covered.map((c) => `${c.entry.source}/${c.entry.category}`).sort(),
      asOf:
        covered
          .map((c) => c.asOf)
          .sort()
          .at(-1) ?? '',
    }
  })
}

function groupTies(scored: Scored[]): Record<string, ModelTaskPrior> {
  const sorted = [...scored].sort((a, b) => b.score - a.score || a.model.localeCompare(b.model))
  const groups: Scored[][] = []
  for (const model of sorted) {
    const current = groups.at(-1)
    const leader = current?.[0]
    if (current !== undefined && leader !== undefined && model.high >= leader.low) current.push(model)
    else groups.push([model])
  }
  const priors: Record<string, ModelTaskPrior> = {}
  groups.forEach((group, index) => {
    const groupScore = group.reduce((sum, m) => sum + m.score, 0) / group.length
    for (const m of group) {
      priors[m.model] = {
        prior: round(groupScore, 3),
        score: round(m.score),
        ci_low: round(m.low),
        ci_high: round(m.high),
        spread_low: round(m.spreadLow),
        spread_high: round(m.spreadHigh),
        tie_group: index + 1,
        sources: m.sources,
        as_of: m.asOf,
      }
    }
  })
  return Object.fromEntries(Object.entries(priors).sort(([a], [b]) => a.localeCompare(b)))
}

/** The generated priors and what the build could not cover. Pure: same inputs, same output. */
export function buildPriors(inputs: EvidenceInputs): { priors: EvidencePriors; report: BuildReport } {
  const aliasOf = (s: string): string | undefined =>
    Object.hasOwn(inputs.aliases.catalog, s) ? inputs.aliases.catalog[s]?.model : undefined
  const reachable = new Set<string>([
    ...inputs.freeCatalogModels.flatMap((s) => aliasOf(s) ?? []),
    ...Object.values(inputs.pools.pools).flatMap((pool) => pool.members),
  ])
  const skipped = new Set<string>()
  const tasks = {} as Record<TaskType, Record<string, ModelTaskPrior>>
  const uncovered = {} as Record<TaskType, string[]>
  for (const task of TASK_TYPES) {
    tasks[task] = groupTies(scoreTask(inputs.taskMap.tasks[task], inputs, reachable, skipped))
    uncovered[task] = [...reachable].filter((m) => !Object.hasOwn(tasks[task], m)).sort()
  }
  const used = new Set(TASK_TYPES.flatMap((task) => inputs.taskMap.tasks[task].map((e) => e.source)))
  const sources = inputs.snapshots
    .filter((s) => used.has(s.source))
    .map((s) => ({
      id: s.source,
      title: s.title,
      repo: s.repo,
      commit: s.commit,
      licence: s.licence,
      as_of: s.as_of,
    }))
    .sort((a, b) => a.id.localeCompare(b.id))
  const priors: EvidencePriors = {
    as_of:
      sources
        .map((s) => s.as_of)
        .sort()
        .at(-1) ?? '',
    sources,
    aliases: Object.fromEntries(
      Object.entries(inputs.aliases.catalog)
        .map(([name, entry]) => [name, entry.model] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
    pools: Object.fromEntries(
      Object.entries(inputs.pools.pools).map(([name, pool]) => [name, [...pool.members].sort()]),
    ),
    tasks,
  }
  const unmappedCatalog = [...new Set(inputs.freeCatalogModels)]
    .filter(
      (s) =>
        aliasOf(s) === undefined &&
        !Object.hasOwn(inputs.pools.pools, s) &&
        !Object.hasOwn(inputs.aliases.unmapped_catalog ?? {}, s),
    )
    .sort()
  return { priors, report: { skippedCategories: [...skipped].sort(), uncovered, unmappedCatalog } }
}

/** The generated module's text: a header, then the priors as JSON (valid TypeScript). */
export function renderPriorsModule(priors: EvidencePriors): string {
  return [
    '// Generated by `npm run build:priors` from data/evidence/: do not edit, change the data and rebuild.',
    "import type { EvidencePriors } from './evidence-priors.js'",
    '',
    `export const EVIDENCE_PRIORS: EvidencePriors = ${JSON.stringify(priors, null, 2)}`,
    '',
  ].join('\n')
}
