import type { BreakerState } from './circuit-breaker.js'
import type { Block } from './cooldowns.js'
import type { AttemptTarget } from './types.js'

/**
 * A target's state turning worse, as the state layer decides it: the operator wants a line for each
 * (a breaker opening, a key cooling down after a 429, a daily quota spent, a key rejected). Reasons are
 * already redacted by the state layer.
 */
export type StateChange =
  | { kind: 'breaker_opened'; target: AttemptTarget; untilMs: number | null; reason: string }
  | { kind: 'cooldown' | 'quota_exhausted'; target: AttemptTarget; untilMs: number | null; reason: string }
  | { kind: 'key_disabled'; target: AttemptTarget; reason: string }

/** What is compared before and after one outcome is applied. */
export interface TargetStateView {
  block: Block | null
  breaker: BreakerState
  breakerReason: string | null
  breakerUntilMs: number | null
}

const BLOCK_KIND = { cooldown: 'cooldown', quota: 'quota_exhausted', disabled: 'key_disabled' } as const

/** The changes between two views of one target: only entering a worse state counts, not staying in it. */
export function stateChanges(
  target: AttemptTarget,
  before: TargetStateView,
  after: TargetStateView,
): StateChange[] {
  const changes: StateChange[] = []
  if (after.breaker === 'open' && before.breaker !== 'open')
    changes.push({
      kind: 'breaker_opened',
      target,
      untilMs: after.breakerUntilMs,
      reason: after.breakerReason ?? 'repeated failures',
    })
  const block = after.block
  if (block !== null && before.block?.state !== block.state) {
    const kind = BLOCK_KIND[block.state]
    changes.push(
      kind === 'key_disabled'
        ? { kind, target, reason: block.reason }
        : { kind, target, untilMs: block.untilMs, reason: block.reason },
    )
  }
  return changes
}

/** One warn line per change: a message and the fields beside it. */
export function describeStateChange(change: StateChange): {
  message: string
  fields: Record<string, unknown>
} {
  const { provider, model, keyIndex } = change.target
  const until = (untilMs: number | null) => (untilMs === null ? null : new Date(untilMs).toISOString())
  const key = { provider, model, key: keyIndex + 1, reason: change.reason }
  switch (change.kind) {
    case 'breaker_opened':
      // A breaker is per provider and model, shared by its keys.
      return {
        message: 'circuit breaker opened',
        fields: { provider, model, reason: change.reason, until: until(change.untilMs) },
      }
    case 'cooldown':
      return { message: 'key cooling down', fields: { ...key, until: until(change.untilMs) } }
    case 'quota_exhausted':
      return { message: 'daily quota spent', fields: { ...key, until: until(change.untilMs) } }
    case 'key_disabled':
      return { message: 'key disabled', fields: key }
  }
}
