import type { Clock } from '../../lib/clock.js'
import { type PullAnswer, pairsOf } from './shared-answers.js'
import type { SharedOp } from './shared-ops.js'
import type { SharedExtra } from './state-sync.js'

/** A cache of plans by key, as the planner reads it (PlanMemory). */
export interface PlanStore<T> {
  get(key: string): T | undefined
  set(key: string, value: T): void
}

/** How a plan travels through Redis, and back (null when what comes back is not a plan). */
export interface PlanCodec<T> {
  encode(value: T): string
  decode(text: string): T | null
}

const PLAN_TTL_MS = 24 * 3_600_000

/**
 * Plans made by any instance, in each instance's own cache: a plan made here is appended to a capped
 * stream in Redis, and every pull adds the plans the others made since (those younger than a day).
 */
export function createSharedPlanMemory<T>(
  local: PlanStore<T>,
  codec: PlanCodec<T>,
  forward: (op: SharedOp) => void,
  clock: Clock,
): PlanStore<T> & SharedExtra {
  return {
    get: (key) => local.get(key),
    set(key, value) {
      local.set(key, value)
      forward({ kind: 'plan', key, split: codec.encode(value), atMs: clock.nowMs() })
    },
    adopt(pulled: PullAnswer) {
      for (const [, flat] of pulled.plans) {
        const fields = new Map(pairsOf(flat))
        const key = fields.get('key')
        const atMs = Number(fields.get('atMs'))
        if (key === undefined || !(atMs + PLAN_TTL_MS > clock.nowMs())) continue
        const value = codec.decode(fields.get('split') ?? '')
        if (value !== null) local.set(key, value)
      }
    },
    seedOps: () => [],
  }
}
