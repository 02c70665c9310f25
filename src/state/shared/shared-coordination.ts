import { applyOutcome } from '../apply-outcome.js'
import { type Coordination, type CoordinationRules, REFUSED_OUTCOMES } from '../coordination.js'
import { outcomeEffect } from '../outcome-effect.js'
import type { Reservation } from '../rate-limit-tracker.js'
import { availabilityOf } from '../target-standing.js'
import type { MemoryTargetParts } from '../target-store.js'
import type {
  Admission,
  AttemptOutcome,
  AttemptTarget,
  Availability,
  EffectiveLimits,
  Lease,
} from '../types.js'
import { adoptAdmitAnswer } from './adopt-shared-state.js'
import { isSliceable, type LeasedSlices, type SliceAsk, type SliceCall } from './leased-slices.js'
import type { AdmitAnswer } from './shared-answers.js'
import { pairField, type SharedOp } from './shared-ops.js'

/** What an admission asks of Redis besides the check: the call itself, a slice, or both. */
export interface AdmissionAsk {
  /** False when only a slice is asked for (a refill in the background): no call is counted. */
  admitsCall: boolean
  slice: SliceAsk | null
}

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
    ask?: AdmissionAsk,
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
  slices: LeasedSlices
  bucketOf(target: AttemptTarget): string
  breakerOpenMs: number
}

/** Usable states locally; anything else is refused without asking Redis. */
const USABLE: ReadonlySet<string> = new Set(['ok', 'half_open'])

/** Where a lease's call was counted in Redis, and whether it is a half-open breaker's probe. */
interface CountedAt {
  bucket: string
  second: number
  dayEndMs: number
  probe: boolean
  /** The slice it was made from, which keeps its count until it is given back. */
  call: SliceCall | null
}

/**
 * Admission through Redis. A counter with large enough limits is admitted from slices of its windows
 * this instance took ahead of time (leased-slices.ts): no round trip before the call, the calls counted
 * in Redis when their slice is given back, a new slice asked for in the background when half is spent.
 * Otherwise (small limits, no slice left, a half-open breaker's probe) one script checks and reserves,
 * so no two instances can take the last request of a window. The lease's settlement is forwarded as a
 * count, and the outcome's effects go through the forwarding store like any other. Without Redis (or
 * when it does not answer in time) slices still held are used, then the local coordination admits,
 * within this instance's share of each limit while Redis is away.
 */
export function createSharedCoordination(input: SharedCoordinationInput): Coordination {
  const { rules, parts, channel, slices } = input
  const { clock, store } = rules

  function sharedLease(
    target: AttemptTarget,
    tokens: number,
    at: CountedAt,
    reservation: Reservation | null,
  ): Lease {
    const field = pairField(target.provider, target.model)
    const count = (requests: number, delta: number): void => {
      if (requests === 0 && delta === 0) return
      if (at.call !== null && slices.adjust(at.call, requests, delta)) return
      const { bucket, second, dayEndMs } = at
      channel.forward({ kind: 'count', bucket, second, dayEndMs, requests, tokens: delta })
    }
    let isDone = false
    return {
      isProbe: at.probe,
      settle(outcome: AttemptOutcome) {
        if (isDone) return
        isDone = true
        if (REFUSED_OUTCOMES.has(outcome.outcome)) {
          count(-1, -tokens)
          reservation?.release()
        } else {
          const actual = outcome.usageTokens ?? (outcome.outcome === 'ok' ? null : 0)
          if (actual !== null) count(0, Math.round(Math.max(0, actual)) - tokens)
          reservation?.settle(actual)
        }
        applyOutcome(rules, target, outcome, at.probe)
        if (at.probe) settleProbe(field, outcome)
      },
      release() {
        if (isDone) return
        isDone = true
        count(-1, -tokens)
        reservation?.release()
        if (at.probe) channel.forward({ kind: 'probe_done', field })
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

  /** What an admission answered, into the mirror: counts as this instance sees them (slices apart). */
  function adopt(target: AttemptTarget, bucket: string, answer: AdmitAnswer, dayEndMs: number): void {
    const counter = {
      minute: answer.minute,
      requests: answer.dr,
      tokens: answer.dt,
      heldRequests: answer.hr,
      heldTokens: answer.ht,
    }
    const mine = slices.mirrorView(bucket, counter, dayEndMs, clock.nowMs())
    const seen = { ...answer, minute: mine.minute, dr: mine.requests, dt: mine.tokens }
    adoptAdmitAnswer(parts, target, seen, dayEndMs, clock.nowMs())
    channel.remember(target, answer, dayEndMs)
  }

  /** An ask's answer taken in: the slice granted (or none: a pause before asking again), then the counts. */
  function answered(
    target: AttemptTarget,
    ask: SliceAsk,
    answer: AdmitAnswer | null,
    at: { dayEndMs: number; limits: EffectiveLimits },
  ): void {
    const bucket = input.bucketOf(target)
    const granted = answer === null ? null : { requests: answer.granted, tokens: answer.grantedTokens }
    slices.answered(bucket, ask, granted, { ...at, nowMs: clock.nowMs() })
    if (answer !== null) adopt(target, bucket, answer, at.dayEndMs)
  }

  /** Asks for the next slice in the background once half of the last one is spent. */
  function refill(target: AttemptTarget, tokens: number, limits: EffectiveLimits): void {
    const ask = slices.ask(input.bucketOf(target), tokens, clock.nowMs())
    if (ask === null) return
    const at = { dayEndMs: store.windows.dayEndMs(target), limits }
    channel.admit(target, 0, at.dayEndMs, limits, { admitsCall: false, slice: ask }).then(
      (answer) => answered(target, ask, answer, at),
      () => answered(target, ask, null, at),
    )
  }

  /** Breakers, cooldowns, disabled keys and retired models as last pulled: a slice is used only past them. */
  const isOpen = (target: AttemptTarget): boolean =>
    store.blocks.blockOf(target) === null &&
    !store.retired.isRetired(target.provider, target.model) &&
    store.breakers.of(target).state() === 'closed'

  /** One call from this instance's slices, with no round trip; null when they cannot take it. */
  function fromSlice(target: AttemptTarget, tokens: number, nowMs: number): Admission | null {
    if (!isOpen(target)) return null
    const bucket = input.bucketOf(target)
    const call = slices.take(bucket, tokens, nowMs)
    if (call === null) return null
    store.touch(target)
    const reservation = parts.tracker.reserve(target, tokens)
    const at = { bucket, second: call.second, dayEndMs: call.slice.dayEndMs, probe: false, call }
    return { lease: sharedLease(target, tokens, at, reservation) }
  }

  async function admitThroughRedis(target: AttemptTarget, estimatedTokens: number): Promise<Admission> {
    const nowMs = clock.nowMs()
    const seen = availabilityOf(store, target, nowMs)
    if (!USABLE.has(seen.state)) return { refused: seen }
    const tokens = Math.round(Math.max(0, estimatedTokens))
    const bucket = input.bucketOf(target)
    const limits = store.windows.limits(target)
    // A half-open breaker's single probe is taken in Redis, never from a slice.
    const isSliced = seen.state === 'ok' && isSliceable(limits)
    if (isSliced) {
      const admission = fromSlice(target, tokens, nowMs)
      if (admission !== null) {
        refill(target, tokens, limits)
        return admission
      }
      slices.noteCall(bucket, tokens, nowMs)
    }
    const ask = isSliced ? slices.ask(bucket, tokens, nowMs) : null
    const at = { dayEndMs: store.windows.dayEndMs(target), limits }
    let answer: AdmitAnswer
    try {
      answer = await channel.admit(target, tokens, at.dayEndMs, limits, { admitsCall: true, slice: ask })
    } catch {
      if (ask !== null) answered(target, ask, null, at)
      return input.local.admit(target, estimatedTokens)
    }
    if (ask !== null) answered(target, ask, answer, at)
    else adopt(target, bucket, answer, at.dayEndMs)
    if (!answer.ok) return { refused: refusal(target, clock.nowMs()) }
    store.touch(target)
    const counted = { bucket, second: answer.second, dayEndMs: at.dayEndMs, probe: answer.probe, call: null }
    return { lease: sharedLease(target, tokens, counted, null) }
  }

  return {
    snapshot: () => input.local.snapshot(),
    observe: (target, outcome) => input.local.observe(target, outcome),
    async admit(target, estimatedTokens) {
      if (channel.isShared()) return admitThroughRedis(target, estimatedTokens)
      const tokens = Math.round(Math.max(0, estimatedTokens))
      return fromSlice(target, tokens, clock.nowMs()) ?? input.local.admit(target, estimatedTokens)
    },
  }
}
