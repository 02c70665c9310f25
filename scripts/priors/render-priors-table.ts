import { TASK_TYPES } from '../../src/pipeline/analyze/types.js'
import {
  type EvidencePriors,
  NO_EVIDENCE_PRIOR,
  priorOfCall,
} from '../../src/pipeline/route/evidence-priors.js'
import { CATALOG } from '../../src/providers/catalog.js'

// The README's table of the priors (`npm run build:priors -- --table`): per task, the models free
// providers call for each tier, best first, ties joined by "=", then those no source covers; and the pool.

export interface TierModels {
  fastModel: string
  strongModel: string
}

/** The tier models of the catalogue's free providers (recurring, trial and credit; not paid, not local). */
export const catalogTierModels = (): TierModels[] =>
  Object.values(CATALOG).filter((entry) => entry.tier !== 'paid' && entry.tier !== 'local')

const POOL = 'openrouter/free'
const price = (value: number): string => value.toFixed(2)

function tierCell(priors: EvidencePriors, task: (typeof TASK_TYPES)[number], models: readonly string[]) {
  const covered = new Map<string, number>()
  const uncovered = new Set<string>()
  for (const model of models) {
    if (Object.hasOwn(priors.pools, model)) continue
    const info = priorOfCall(priors, task, model, 0)
    if (info.model === null) uncovered.add(model)
    else covered.set(info.model, info.value)
  }
  const groups = new Map<number, string[]>()
  for (const [model, value] of [...covered].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
    groups.set(value, [...(groups.get(value) ?? []), model])
  const ranked = [...groups].map(([value, names]) => `${names.join(' = ')} ${price(value)}`).join(' > ')
  const none = [...uncovered].sort()
  return none.length === 0
    ? ranked
    : `${ranked}; no evidence (${price(NO_EVIDENCE_PRIOR)}): ${none.join(', ')}`
}

export function renderPriorsTable(priors: EvidencePriors, providers: readonly TierModels[]): string {
  const strong = providers.map((p) => p.strongModel)
  const fast = providers.map((p) => p.fastModel)
  const rows = TASK_TYPES.map((task) =>
    [
      task,
      // choose-tier-model.ts: boilerplate never goes to the strong tier.
      task === 'boilerplate' ? '(always the fast tier)' : tierCell(priors, task, strong),
      tierCell(priors, task, fast),
      price(priorOfCall(priors, task, POOL, 0).value),
    ].join(' | '),
  )
  return [
    '| task | strong tier (complex work) | fast tier (simple work) | openrouter/free |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n')
}
