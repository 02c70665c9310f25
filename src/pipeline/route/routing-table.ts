import type { TaskType } from '../analyze/types.js'
import { EVIDENCE_PRIORS } from './evidence-priors.generated.js'
import { type EvidencePriors, type PriorInfo, priorOfCall } from './evidence-priors.js'
import type { RoutingTable } from './types.js'

export type { RoutingTable } from './types.js'

const parse = (row: readonly string[]): string[][] =>
  row.map((group) => group.split('=').map((name) => name.trim()))

/** Providers tried after every ranked one in a user's row, whatever the task. */
export const BACKUP_PROVIDERS = ['huggingface', 'cloudflare'] as const

export function buildRoutingTable(
  overrides: Partial<Record<TaskType, readonly string[]>> = {},
  evidence: EvidencePriors = EVIDENCE_PRIORS,
): RoutingTable {
  const rows = Object.fromEntries(
    Object.entries(overrides).flatMap(([task, row]) => (row === undefined ? [] : [[task, parse(row)]])),
  )
  return { rows, evidence }
}

function rowPrior(row: readonly (readonly string[])[], provider: string): number {
  const rank = row.findIndex((group) => group.includes(provider))
  if (rank === -1) return (BACKUP_PROVIDERS as readonly string[]).includes(provider) ? 0.3 : 0.4
  return 1 - (0.5 * rank) / Math.max(1, row.length)
}

/**
 * The 0..1 quality prior of `provider` calling `model` for `task`: from the user's row when they wrote one
 * for the task (first group 1, each later group less), otherwise from the evidence about the model.
 */
export function qualityPrior(
  table: RoutingTable,
  task: TaskType,
  provider: string,
  model: string,
  nowMs: number,
): PriorInfo {
  const row = table.rows[task]
  if (row === undefined) return priorOfCall(table.evidence, task, model, nowMs)
  return {
    value: rowPrior(row, provider),
    origin: 'routing',
    model: null,
    sources: [],
    as_of: null,
    isStale: false,
  }
}
