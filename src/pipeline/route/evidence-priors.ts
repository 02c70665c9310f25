import type { TaskType } from '../analyze/types.js'

// The shape of evidence-priors.generated.ts, written by `npm run build:priors` from data/evidence/ and
// validated against data/evidence/priors.schema.json. Quality belongs to a model, not to a provider: every
// provider that calls gpt-oss-120b gets gpt-oss-120b's prior, and only capacity separates them.

/** One model's quality on one task, from the public benchmarks the task map names. */
export interface ModelTaskPrior {
  /** 0..1: the quality term the router uses (its tie group's mean score). */
  prior: number
  /** 0..1: weighted mean, over the source categories, of the model's share of the best reachable model's figure. */
  score: number
  ci_low: number
  ci_high: number
  /** Lowest and highest normalized value across the sources: how much they disagree. */
  spread_low: number
  spread_high: number
  /** 1 = the best group; models whose intervals overlap the group's leader share its prior. */
  tie_group: number
  /** `source/category` ids that covered this model. */
  sources: string[]
  /** Date of the freshest evidence behind this prior (YYYY-MM-DD). */
  as_of: string
}

export interface EvidenceSource {
  id: string
  title: string
  repo: string
  commit: string
  licence: string
  as_of: string
}

export interface EvidencePriors {
  as_of: string
  sources: EvidenceSource[]
  /** Catalogue model string (as a provider is called with it, or as a pool answers) → canonical model id. */
  aliases: Record<string, string>
  /** Pool model string (e.g. `openrouter/free`) → the canonical ids it may answer with. */
  pools: Record<string, string[]>
  tasks: Record<TaskType, Record<string, ModelTaskPrior>>
}

/** Where a candidate's quality term came from, as /v1/plan shows it. */
export interface PriorInfo {
  value: number
  origin: 'evidence' | 'pool' | 'routing' | 'none'
  /** The canonical model the evidence is about (null for a pool, a routing row or no evidence). */
  model: string | null
  sources: string[]
  as_of: string | null
  isStale: boolean
}

/** Priors whose freshest evidence is older than this are flagged in /v1/plan. */
export const STALE_AFTER_MS = 180 * 24 * 60 * 60 * 1000
/**
 * A model no source covers: as if it kept 40 % of the best model's quality, below every model the evidence
 * covers except one it puts further behind (gemma-3-27b on Aider's code edits), as unlisted providers were.
 */
export const NO_EVIDENCE_PRIOR = 0.4

const isStale = (asOf: string | null, nowMs: number): boolean =>
  asOf !== null && nowMs - Date.parse(`${asOf}T00:00:00Z`) > STALE_AFTER_MS

const ownValue = <T>(record: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(record, key) ? record[key] : undefined

const noEvidence = (): PriorInfo => ({
  value: NO_EVIDENCE_PRIOR,
  origin: 'none',
  model: null,
  sources: [],
  as_of: null,
  isStale: false,
})

/** The prior of the model a provider answered with (a catalogue string or a canonical id). */
export function priorOfModel(
  priors: EvidencePriors,
  task: TaskType,
  modelString: string,
  nowMs: number,
): PriorInfo {
  const model = ownValue(priors.aliases, modelString) ?? modelString
  const entry = ownValue(priors.tasks[task], model)
  if (entry === undefined) return noEvidence()
  return {
    value: entry.prior,
    origin: 'evidence',
    model,
    sources: entry.sources,
    as_of: entry.as_of,
    isStale: isStale(entry.as_of, nowMs),
  }
}

/**
 * The quality prior of calling `modelString`: the model's own, or for a pool the mean over the members
 * with evidence on this task (which member answers is known only afterwards).
 */
export function priorOfCall(
  priors: EvidencePriors,
  task: TaskType,
  modelString: string,
  nowMs: number,
): PriorInfo {
  const members = ownValue(priors.pools, modelString)
  if (members === undefined) return priorOfModel(priors, task, modelString, nowMs)
  const known = members.flatMap((member) => {
    const entry = ownValue(priors.tasks[task], member)
    return entry === undefined ? [] : [entry]
  })
  if (known.length === 0) return noEvidence()
  const asOf =
    known
      .map((entry) => entry.as_of)
      .sort()
      .at(-1) ?? ''
  return {
    value: Number((known.reduce((sum, entry) => sum + entry.prior, 0) / known.length).toFixed(3)),
    origin: 'pool',
    model: null,
    sources: [...new Set(known.flatMap((entry) => entry.sources))].sort(),
    as_of: asOf,
    isStale: isStale(asOf, nowMs),
  }
}
