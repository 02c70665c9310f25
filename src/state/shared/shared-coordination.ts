import { applyOutcome } from '../apply-outcome.js'
import { type Coordination, type CoordinationRules, REFUSED_OUTCOMES } from '../coordination.js'
import { outcomeEffect } from '../outcome-effect.js'
import { availabilityOf } from '../target-standing.js'
import type { MemoryTargetParts } from '../target-store.js'
import type { AttemptOutcome, AttemptTarget, Availability, EffectiveLimits, Lease } from '../types.js'
import { adoptAdmitAnswer } from './adopt-shared-state.js'
import type { AdmitAnswer } from './shared-answers.js'
import { pairField, type SharedOp } from './shared-ops.js'

/** What admission needs of the link to Redis (state-sync.ts). */
export interface AdmissionChannel {
  /** False while Redis is away (or back but not yet reconciled): admit on local state then. */
  isShared(): boolean
  /** The admission script's answer; rejects when Redis did not answer in time. */
  admit(
    target: AttemptTarget,
    estimatedTokens: number,
    dayEndMs: number,
    limits: EffectiveLimits,
  ): Promise<AdmitAnswer>
  forward(op: SharedOp): void
  /** The shared counts of a counter, last seen (a Redis that comes back empty is seeded with them). */
  remember(target: AttemptTarget, answer: AdmitAnswer, dayEndMs: number): void
}

export interface SharedCoordinationInput {
  /** The coordination of this process over the forwarding mirror: snapshots, and admission without Redis. */
  local: Coordination
  rules: CoordinationRules
  parts: MemoryTargetParts
  channel: AdmissionChannel
  bucketOf(target: AttemptTarget): string
  breakerOpenMs: number
}

/** Usable states locally; anything else is refused without asking Redis. */
const USABLE: ReadonlySet<string> = new Set(['ok', 'half_open'])

/**
 * Admission through Redis: one script checks and reserves (no two instances can take the last request
 * of a window), the lease's settlement is forwarded as a count, and the outcome's effects go through the
 * forwarding store like any other. Without Redis (or when it does not answer in time) the local
 * coordination admits, within this instance's share of each limit while Redis is away.
 */
export function createSharedCoordination(input: SharedCoordinationInput): Coordination {
  const { rules, parts, channel } = input
  const { clock, store } = rules

  function sharedLease(target: AttemptTarget, tokens: number, answer: AdmitAnswer, dayEndMs: number): Lease {
    const at = { bucket: input.bucketOf(target), second: answer.second, dayEndMs }
    const field = pairField(target.provider, target.model)
    const count = (requests: number, delta: number): void => {
      if (requests !== 0 || delta !== 0) channel.forward({ kind: 'count', ...at, requests, tokens: delta })
    }
    let isDone = false
    return {
      isProbe: answer.probe,
      settle(outcome: AttemptOutcome) {
        if (isDone) return
        isDone = true
        if (REFUSED_OUTCOMES.has(outcome.outcome)) count(-1, -tokens)
        else {
          const actual = outcome.usageTokens ?? (outcome.outcome === 'ok' ? null : 0)
          if (actual !== null) count(0, Math.round(Math.max(0, actual)) - tokens)
        }
        applyOutcome(rules, target, outcome, answer.probe)
        if (answer.probe) settleProbe(field, outcome)
      },
      release() {
        if (isDone) return
        isDone = true
        count(-1, -tokens)
        if (answer.probe) channel.forward({ kind: 'probe_done', field })
      },
    }
  }

  /** The shared probe's verdict closes or reopens the breaker for every instance, whatever this one saw. */
  function settleProbe(field: string, outcome: AttemptOutcome): void {
    const kind = outcomeEffect(outcome).kind
    const nowMs = clock.nowMs()
    if (kind !== 'success' && kind !== 'breaker_failure') {
      channel.forward({ kind: 'probe_done', field })
      return
    }
    const openUntilMs = kind === 'success' ? null : nowMs + input.breakerOpenMs
    const reason =
      kind === 'success' ? null : `${outcome.outcome}${outcome.status != null ? ` ${outcome.status}` : ''}`
    const state = { openUntilMs, changedAtMs: nowMs }
    const [provider = '', model = ''] = field.split('\u0000')
    parts.breakerOf(provider, model).adopt(state)
    channel.forward({ kind: 'breaker', field, state: { ...state, reason } })
  }

  function refusal(target: AttemptTarget, nowMs: number): Availability {
    const availability = availabilityOf(store, target, nowMs)
    if (!USABLE.has(availability.state)) return availability
    // Redis refused what this instance's view still allows (its view is a moment old).
    return { state: 'cooldown', untilMs: nowMs + 1_000, reason: 'capacity taken by another instance' }
  }

  return {
    snapshot: () => input.local.snapshot(),
    observe: (target, outcome) => input.local.observe(target, outcome),
    async admit(target, estimatedTokens) {
      if (!channel.isShared()) return input.local.admit(target, estimatedTokens)
      const nowMs = clock.nowMs()
      const seen = availabilityOf(store, target, nowMs)
      if (!USABLE.has(seen.state)) return { refused: seen }
      const tokens = Math.round(Math.max(0, estimatedTokens))
      const dayEndMs = store.windows.dayEndMs(target)
      let answer: AdmitAnswer
      try {
        answer = await channel.admit(target, tokens, dayEndMs, store.windows.limits(target))
      } catch {
        return input.local.admit(target, estimatedTokens)
      }
      adoptAdmitAnswer(parts, target, answer, dayEndMs, clock.nowMs())
      channel.remember(target, answer, dayEndMs)
      if (!answer.ok) return { refused: refusal(target, clock.nowMs()) }
      store.touch(target)
      return { lease: sharedLease(target, tokens, answer, dayEndMs) }
    },
  }
}
