import { redactSecrets } from '../lib/redact.js'
import { outcomeEffect } from './outcome-effect.js'
import type { RetiredModel } from './retired-models.js'
import { type StateChange, stateChanges, type TargetStateView } from './state-change.js'
import type { TargetStore } from './target-store.js'
import type { AttemptOutcome, AttemptTarget } from './types.js'

export interface OutcomeRules {
  store: TargetStore
  apiKeysOf(provider: string): readonly string[]
  zoneOf(provider: string): string
  /** Told when a target enters a worse state (breaker open, cooldown, quota spent, key disabled). */
  onChange?: ((change: StateChange) => void) | undefined
  /** Told once when a provider first answers that a model is gone. */
  onModelRetired?: ((retired: RetiredModel) => void) | undefined
}

function standingOf(store: TargetStore, target: AttemptTarget): TargetStateView {
  const breaker = store.breakers.of(target)
  return {
    block: store.blocks.blockOf(target),
    breaker: breaker.state(),
    breakerReason: store.breakers.lastFailure(target),
    breakerUntilMs: breaker.openUntilMs(),
  }
}

/** What one attempt's outcome does to its target, and who is told when the target's state turns worse. */
export function applyOutcome(
  rules: OutcomeRules,
  target: AttemptTarget,
  outcome: AttemptOutcome,
  isProbe: boolean,
): void {
  const before = rules.onChange === undefined ? null : standingOf(rules.store, target)
  applyEffect(rules, target, outcome, isProbe)
  if (before === null) return
  for (const change of stateChanges(target, before, standingOf(rules.store, target))) rules.onChange!(change)
}

function applyEffect(
  rules: OutcomeRules,
  target: AttemptTarget,
  outcome: AttemptOutcome,
  isProbe: boolean,
): void {
  const { store } = rules
  store.touch(target)
  if (outcome.limits != null) store.windows.observe(target, outcome.limits)
  const breaker = store.breakers.of(target)
  const effect = outcomeEffect(outcome)
  // Successes carry no message: nothing to redact on the common path.
  const detail =
    outcome.message == null || outcome.message === ''
      ? ''
      : redactSecrets(outcome.message, rules.apiKeysOf(target.provider)).slice(0, 300)
  const status = outcome.status != null ? ` ${outcome.status}` : ''
  const who = `${target.provider} key ${target.keyIndex + 1}`
  switch (effect.kind) {
    case 'success':
      breaker.recordSuccess()
      break
    case 'breaker_failure':
      store.breakers.noteFailure(target, `${outcome.outcome}${status}${detail ? `: ${detail}` : ''}`)
      breaker.recordFailure()
      break
    case 'cooldown':
      store.blocks.coolDown(
        target,
        effect.durationMs,
        `rate-limited (429) by ${who}${detail ? `: ${detail}` : ''}`,
      )
      break
    case 'quota_until_reset': {
      const reason = `daily quota spent on ${who}; resets at midnight ${rules.zoneOf(target.provider)}`
      store.blocks.exhaustQuota(target, store.windows.dayEndMs(target), reason)
      break
    }
    case 'disable_key': {
      const what =
        effect.cause === 'auth'
          ? `${who} was rejected (${outcome.status ?? 'auth'}): check or replace the key in the config`
          : `${who} has no credits left (${outcome.status ?? 402}): add credits or remove the key`
      store.blocks.disableKey(
        target.provider,
        target.keyIndex,
        detail ? `${what}. Upstream said: ${detail}` : what,
      )
      break
    }
    case 'retire_model':
      if (store.retired.retire(target.provider, target.model, detail || `${outcome.status ?? 404}`))
        rules.onModelRetired?.(store.retired.find(target.provider, target.model)!)
      break
    case 'none':
      break
  }
  // A probe that ended without a verdict (429, bad request…) frees the slot for the next one.
  if (isProbe && effect.kind !== 'success' && effect.kind !== 'breaker_failure') breaker.releaseProbe()
}
