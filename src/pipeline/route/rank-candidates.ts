import type { Mode } from '../../config/schema.js'
import type { ProviderConfig } from '../../config/types.js'
import { routeTaskOf } from '../analyze/route-task-of.js'
import type { Analysis, RouteTask } from '../analyze/types.js'
import type { Exclusion } from '../types.js'
import { capabilityProblem } from './capability-problem.js'
import { chooseTier, modelForTier } from './choose-tier-model.js'
import { type IsRetired, liveModel } from './live-model.js'
import type { RequiredCapabilities } from './required-capabilities.js'
import { qualityPrior, type RoutingTable } from './routing-table.js'
import type { Candidate } from './types.js'

// Written by hand because it is the product: a transparent weighted score per provider, so a user can
// read in /v1/plan why a request went where it did. Score = quality^wq × availability^wa, where quality
// is the prior of the model this provider would call for the tier (public evidence, or the user's routing
// row) adjusted by what SmartSplit learned (UCB1),
// free and local providers before paid ones, paid ones in the tier the complexity calls for.

/** 0..1 for one provider+model+key: 1 = healthy with capacity, 0 = do not use now. */
export type AvailabilityLookup = (provider: string, model: string, keyIndex: number) => number
/** The table prior adjusted by experience (UCB1); returns the prior itself when nothing is known. */
export type LearnedLookup = (task: RouteTask, provider: string, model: string, prior: number) => number

const MODE_WEIGHTS: Readonly<Record<Mode, { quality: number; availability: number }>> = {
  // economy spreads load to whoever has the most free capacity left; quality follows the table.
  economy: { quality: 0.5, availability: 2 },
  balanced: { quality: 1, availability: 1 },
  quality: { quality: 2, availability: 0.5 },
}

export interface RankInput {
  analysis: Pick<Analysis, 'task' | 'complexity' | 'isBackgroundCall' | 'isAutocomplete'>
  mode: Mode
  providers: readonly ProviderConfig[]
  table: RoutingTable
  required: RequiredCapabilities
  availability?: AvailabilityLookup
  learned?: LearnedLookup
  /** Now, to flag priors whose evidence is older than 180 days. */
  nowMs: number
  /** Models a provider said it no longer serves: its next model is ranked instead. */
  isRetired?: IsRetired
  /** The user stated the provider order (`providers` is in that order): see `orderOf`. */
  isPriorityStated?: boolean
}

export interface Ranking {
  candidates: Candidate[]
  excluded: Exclusion[]
}

interface Scored {
  candidate: Candidate
  score: number
  rankGroup: number
  /** Configured provider order, which breaks ties and expresses a stated free_llm_priority. */
  position: number
  isFim: boolean
}

export function rankCandidates(input: RankInput): Ranking {
  const weights = MODE_WEIGHTS[input.mode]
  const tier = chooseTier(input.analysis, input.mode)
  const task = routeTaskOf(input.analysis)
  const isAutocomplete = task === 'autocomplete'
  const excluded: Exclusion[] = []
  const scored: Scored[] = []
  for (const [position, provider] of input.providers.entries()) {
    if (!provider.enabled) continue
    const problem = capabilityProblem(provider, input.required)
    if (problem !== null) {
      excluded.push({ provider: provider.name, kind: 'capability', reason: problem })
      continue
    }
    // Autocomplete goes to a provider's fill-in-the-middle model where it has one (Codestral).
    const fimModel = isAutocomplete ? provider.quirks.fim?.model : undefined
    const preferred = fimModel ?? modelForTier(provider, tier)
    const model = liveModel(provider, preferred, input.isRetired ?? (() => false))
    if (model === null) {
      excluded.push({
        provider: provider.name,
        kind: 'unavailable',
        reason: `${provider.name} serves none of its models now`,
      })
      continue
    }
    const prior = qualityPrior(input.table, input.analysis.task, provider.name, model, input.nowMs)
    const quality = Math.max(0.001, input.learned?.(task, provider.name, model, prior.value) ?? prior.value)
    const keys = provider.apiKeys.length > 0 ? provider.apiKeys : [null]
    keys.forEach((apiKey, keyIndex) => {
      const availability = input.availability?.(provider.name, model, keyIndex) ?? 1
      if (availability <= 0) {
        excluded.push({
          provider: provider.name,
          kind: 'unavailable',
          reason: `${provider.name}/${model} key ${keyIndex + 1} unavailable now`,
        })
        return
      }
      const score = quality ** weights.quality * availability ** weights.availability
      scored.push({
        candidate: {
          provider,
          model,
          apiKey,
          reason: `${task} prior ${prior.value.toFixed(2)} (${prior.origin}), learned ${quality.toFixed(2)}, availability ${availability.toFixed(2)}, ${tier} tier, score ${score.toFixed(3)}`,
          prior,
        },
        score,
        rankGroup: provider.rankGroup,
        position,
        isFim: fimModel !== undefined && model === fimModel,
      })
    })
  }
  scored.sort(orderOf(input))
  return { candidates: scored.map((entry) => entry.candidate), excluded }
}

/** Scores this close are one quality band: alike enough that the user's stated order may decide. */
const BAND_WIDTH = 0.1

/**
 * Free tiers first, then trial and credit ones, then paid ones (ProviderConfig.rankGroup); for
 * autocomplete, a native FIM endpoint before chat emulation. Then by score, the configured provider
 * order breaking exact ties. When the user stated free_llm_priority, their order decides among candidates in one quality band (scores within 0.1), and
 * in economy mode, which spreads load rather than chasing quality, it decides outright.
 */
function orderOf(input: RankInput) {
  type Entry = Omit<Scored, 'candidate'>
  const band = (entry: Entry): number => Math.floor(entry.score / BAND_WIDTH)
  return (a: Entry, b: Entry): number => {
    if (a.rankGroup !== b.rankGroup) return a.rankGroup - b.rankGroup
    if (a.isFim !== b.isFim) return Number(b.isFim) - Number(a.isFim)
    if (input.isPriorityStated === true) {
      if (input.mode === 'economy') return a.position - b.position || b.score - a.score
      if (band(a) !== band(b)) return band(b) - band(a)
      return a.position - b.position || b.score - a.score
    }
    return b.score - a.score || a.position - b.position
  }
}
