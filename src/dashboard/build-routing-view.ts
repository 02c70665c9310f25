import type { ServedShare } from '../state/store/types.js'
import type { RoutingRow, RoutingView } from './types.js'

export interface RoutingInputs {
  sinceMs: number
  shares: readonly ServedShare[]
  /** The routing prior of a provider's model for a task, 0..1. */
  prior(task: string, provider: string, model: string): number
  /** The learner's ranking quality for it, from that prior. */
  quality(task: string, provider: string, model: string, prior: number): number
}

/** Per task: who answered what share of its requests, with the prior and the learner's adjustment. */
export function buildRoutingView(inputs: RoutingInputs): RoutingView {
  const tasks = new Map<string, { requests: number; failed: number; rows: Map<string, RoutingRow> }>()
  let split = 0
  let enrich = 0
  let single = 0
  for (const share of inputs.shares) {
    if (share.route === 'enrich') enrich += share.requests
    else if (share.isSplit) split += share.requests
    else single += share.requests
    let task = tasks.get(share.task)
    if (task === undefined) tasks.set(share.task, (task = { requests: 0, failed: 0, rows: new Map() }))
    task.requests += share.requests
    if (share.provider === null || share.model === null) {
      task.failed += share.requests
      continue
    }
    const key = `${share.provider}\u0000${share.model}`
    const row = task.rows.get(key)
    if (row !== undefined) {
      row.requests += share.requests
      continue
    }
    const prior = inputs.prior(share.task, share.provider, share.model)
    const quality = inputs.quality(share.task, share.provider, share.model, prior)
    task.rows.set(key, {
      provider: share.provider,
      model: share.model,
      requests: share.requests,
      share: 0,
      prior,
      learnedAdjustment: quality - prior,
    })
  }
  return {
    sinceMs: inputs.sinceMs,
    split,
    enrich,
    single,
    tasks: [...tasks]
      .map(([task, entry]) => {
        const answered = entry.requests - entry.failed
        const rows = [...entry.rows.values()]
          .map((row) => ({ ...row, share: answered === 0 ? 0 : row.requests / answered }))
          .sort((a, b) => b.requests - a.requests)
        return { task, requests: entry.requests, failed: entry.failed, rows }
      })
      .sort((a, b) => b.requests - a.requests),
  }
}
