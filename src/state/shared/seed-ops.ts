import type { MemoryTargetParts } from '../target-store.js'
import type { AttemptTarget, UsageCounters } from '../types.js'
import { pairField, type SharedOp } from './shared-ops.js'

/** A counter as this instance last saw it in Redis. */
export interface SeenCounter {
  dayEndMs: number
  minute: number[]
  requests: number
  tokens: number
}

/** Restored counters (minute entries) in the shared form (seconds). */
export function seenCounterOf(counters: UsageCounters): SeenCounter {
  return {
    dayEndMs: counters.day.endMs,
    minute: counters.minute.flatMap((entry) => [Math.floor(entry.atMs / 1000), entry.requests, entry.tokens]),
    requests: counters.day.requests,
    tokens: counters.day.tokens,
  }
}

const DAY_GRACE_MS = 3_600_000

/**
 * What this instance knows, for a Redis that has lost its state (restarted without persistence) or that
 * it reaches for the first time: each counter as last seen there, and every block, disabled key, open
 * breaker and retired model it holds. Counts this instance made meanwhile follow as ordinary counts.
 * Every instance sends its own seeds, and Redis keeps the largest (apply-script.ts): after a loss, with
 * what was counted since on top of it, whichever instance reconciles first.
 */
export function seedOps(input: {
  parts: MemoryTargetParts
  seen: ReadonlyMap<string, SeenCounter>
  knownTargets: readonly AttemptTarget[]
  bucketOf(target: AttemptTarget): string
  nowMs: number
  /** This instance saw Redis's state start again (a new epoch), rather than reaching it for the first time. */
  afterLoss: boolean
}): SharedOp[] {
  const { parts, nowMs, afterLoss } = input
  const ops: SharedOp[] = []
  for (const [bucket, seen] of input.seen)
    if (seen.dayEndMs + DAY_GRACE_MS > nowMs) ops.push({ kind: 'seed', bucket, ...seen, afterLoss })
  for (const { target, block } of parts.cooldowns.exportBlocks()) {
    const untilMs = block.untilMs
    if (untilMs !== null)
      ops.push({ kind: 'block', bucket: input.bucketOf(target), target, block: { ...block, untilMs } })
  }
  for (const { provider, keyIndex, reason } of parts.cooldowns.disabledKeys())
    ops.push({ kind: 'disable', field: pairField(provider, keyIndex), reason })
  for (const retired of parts.retired.list())
    ops.push({ kind: 'retire', field: pairField(retired.provider, retired.model), retired })
  const models = new Set<string>()
  for (const target of input.knownTargets) {
    const field = pairField(target.provider, target.model)
    if (models.has(field)) continue
    models.add(field)
    const state = parts.breakerOf(target.provider, target.model).sharedState()
    if (state.openUntilMs === null) continue
    ops.push({
      kind: 'breaker',
      field,
      state: { ...state, reason: parts.store.breakers.lastFailure(target) },
    })
  }
  return ops
}
