import type { EffectiveLimits } from '../types.js'
import type { BucketView } from './shared-answers.js'
import type { SharedOp } from './shared-ops.js'

/**
 * Part of a counter's windows this instance took from Redis ahead of time (admit-script.ts). Redis
 * holds it under its id, counted in both windows of its day, until it is given back with the calls made
 * from it (counted then at their own seconds) or its hold there runs out.
 */
export interface Slice {
  id: string
  bucket: string
  dayEndMs: number
  /** What Redis holds for it. */
  requests: number
  tokens: number
  leftRequests: number
  /** Null when no token window is limited (Redis holds no tokens for it). */
  leftTokens: number | null
  /** Used until then, and given back. */
  expiresAtMs: number
  /** Redis counts it until then even if it is never given back (its holder gone). */
  heldUntilMs: number
  /** Calls made from it, by second: requests and tokens. */
  calls: Map<number, { requests: number; tokens: number }>
  isGivenBack: boolean
}

/** One call made from a slice, at `second`. */
export interface SliceCall {
  slice: Slice
  second: number
}

/** What to ask Redis for with the next admission of a counter. */
export interface SliceAsk {
  id: string
  want: number
  tokensEach: number
  least: number
  heldUntilMs: number
}

/** A counter as Redis answers it: its slots, and what every instance's slices hold apart. */
export interface SharedCounter extends BucketView {
  heldRequests: number
  heldTokens: number
}

/** The smallest slice worth holding; a window with less room than that is admitted call by call. */
export const LEAST_SLICE = 4
const MOST_SLICE = 2_000
/**
 * A window whose request limit is below this is never sliced: its slices would be a few requests each,
 * and what another instance holds is what one without would miss at the end of the window.
 */
export const LEAST_SLICED_LIMIT = 100
/** A slice is used within this long, then given back. */
const SLICE_LIFETIME_MS = 10_000
/** How much longer Redis holds a slice its holder never gave back (the holder died, or lost Redis). */
const HOLD_GRACE_MS = 20_000
/** A counter this instance has not used for this long gives its slices back, for the others. */
export const SLICE_IDLE_MS = 2_000
/** After Redis granted nothing (too little room left), this long before asking for a slice again. */
const ASK_AGAIN_AFTER_MS = 1_000

interface CounterSlices {
  slices: Slice[]
  lastUseMs: number
  /** Calls wanted from this counter in the current and the previous second: how big the next slice is. */
  meterSecond: number
  callsNow: number
  callsBefore: number
  lastGranted: number
  lastGrantedTokens: number
  isAsking: boolean
  askAfterMs: number
  averageTokens: number
}

/** True when every limited request window of a counter is large enough to be sliced. */
export function isSliceable(limits: EffectiveLimits): boolean {
  return [limits.rpm, limits.rpd].every((limit) => limit === null || limit >= LEAST_SLICED_LIMIT)
}

/**
 * The slices this instance holds, per counter: taken from in order (the oldest first), refilled when
 * half spent, and given back when they expire or their counter goes idle. While Redis is away they are
 * still used (Redis counted them already), and given back once it answers again.
 */
export class LeasedSlices {
  readonly #instance: string
  readonly #counters = new Map<string, CounterSlices>()
  #asks = 0

  constructor(instance: string) {
    this.#instance = instance
  }

  /** One call of `tokens` from the counter's slices, or null when they cannot take it. */
  take(bucket: string, tokens: number, nowMs: number): SliceCall | null {
    const counter = this.#counters.get(bucket)
    if (counter === undefined) return null
    this.#meter(counter, nowMs)
    const slice = counter.slices.find(
      (held) =>
        held.expiresAtMs > nowMs &&
        held.leftRequests >= 1 &&
        (held.leftTokens === null || held.leftTokens >= tokens),
    )
    if (slice === undefined) return null
    counter.callsNow++
    counter.lastUseMs = nowMs
    counter.averageTokens += (tokens - counter.averageTokens) / 8
    slice.leftRequests--
    if (slice.leftTokens !== null) slice.leftTokens -= tokens
    const call = { slice, second: Math.floor(nowMs / 1000) }
    this.adjust(call, 1, tokens)
    return call
  }

  /**
   * Corrects a call made from a slice (its real tokens, or the call given back): kept with the slice
   * while it is held; false once it was given back, and the change is the caller's to count.
   */
  adjust(call: SliceCall, requests: number, tokens: number): boolean {
    if (call.slice.isGivenBack) return false
    const counted = call.slice.calls.get(call.second) ?? { requests: 0, tokens: 0 }
    counted.requests = Math.max(0, counted.requests + requests)
    counted.tokens = Math.max(0, counted.tokens + tokens)
    call.slice.calls.set(call.second, counted)
    return true
  }

  /**
   * What to ask for with this admission, or null: a counter already asking, told recently there was no
   * room, or holding more than half of its last slice does not ask.
   */
  ask(bucket: string, tokens: number, nowMs: number): SliceAsk | null {
    const counter = this.#counterOf(bucket, nowMs)
    if (counter.isAsking || nowMs < counter.askAfterMs) return null
    let left = 0
    let leftTokens = 0
    for (const slice of counter.slices) {
      if (slice.expiresAtMs <= nowMs) continue
      left += slice.leftRequests
      leftTokens += slice.leftTokens ?? Number.POSITIVE_INFINITY
    }
    if (left * 2 > counter.lastGranted && leftTokens * 2 > counter.lastGrantedTokens) return null
    counter.isAsking = true
    return {
      id: `${this.#instance}:${++this.#asks}`,
      want: Math.min(MOST_SLICE, Math.max(LEAST_SLICE, counter.callsNow + counter.callsBefore)),
      tokensEach: Math.ceil(Math.max(tokens, counter.averageTokens)),
      least: LEAST_SLICE,
      heldUntilMs: nowMs + SLICE_LIFETIME_MS + HOLD_GRACE_MS,
    }
  }

  /** Counts a call admitted without a slice, so the next slice is sized for what was wanted. */
  noteCall(bucket: string, tokens: number, nowMs: number): void {
    const counter = this.#counterOf(bucket, nowMs)
    counter.callsNow++
    counter.lastUseMs = nowMs
    counter.averageTokens += (tokens - counter.averageTokens) / 8
  }

  /** Redis's answer to an ask (null: none came): the slice it granted, if any. */
  answered(
    bucket: string,
    ask: SliceAsk,
    granted: { requests: number; tokens: number } | null,
    at: { dayEndMs: number; limits: EffectiveLimits; nowMs: number },
  ): void {
    const counter = this.#counterOf(bucket, at.nowMs)
    counter.isAsking = false
    if (granted === null || granted.requests <= 0) {
      counter.askAfterMs = at.nowMs + ASK_AGAIN_AFTER_MS
      return
    }
    const tokensLimited = at.limits.tpm !== null || at.limits.tpd !== null
    counter.slices.push({
      id: ask.id,
      bucket,
      dayEndMs: at.dayEndMs,
      requests: granted.requests,
      tokens: granted.tokens,
      leftRequests: granted.requests,
      leftTokens: tokensLimited ? granted.tokens : null,
      // Given back before its day ends: Redis counts it only in the day it was granted for.
      expiresAtMs: Math.min(ask.heldUntilMs - HOLD_GRACE_MS, at.dayEndMs - 1_000),
      heldUntilMs: ask.heldUntilMs,
      calls: new Map(),
      isGivenBack: false,
    })
    counter.lastGranted = granted.requests
    counter.lastGrantedTokens = tokensLimited ? granted.tokens : 0
  }

  /**
   * A counter as this instance sees it: the slots, the slices the others hold (as if used now), and the
   * calls made from its own; what is left of its own slices is this instance's to use.
   */
  mirrorView(bucket: string, counter: SharedCounter, dayEndMs: number, nowMs: number): BucketView {
    let ownRequests = 0
    let ownTokens = 0
    const minute = [...counter.minute]
    let { requests, tokens } = counter
    for (const slice of this.#counters.get(bucket)?.slices ?? []) {
      if (slice.dayEndMs !== dayEndMs || slice.heldUntilMs <= nowMs) continue
      ownRequests += slice.requests
      ownTokens += slice.tokens
      for (const [second, calls] of slice.calls) {
        minute.push(second, calls.requests, calls.tokens)
        requests += calls.requests
        tokens += calls.tokens
      }
    }
    const othersRequests = Math.max(0, counter.heldRequests - ownRequests)
    const othersTokens = Math.max(0, counter.heldTokens - ownTokens)
    if (othersRequests > 0 || othersTokens > 0)
      minute.push(Math.floor(nowMs / 1000), othersRequests, othersTokens)
    return { minute, requests: requests + othersRequests, tokens: tokens + othersTokens }
  }

  /** Slices to give back now (expired, or of a counter idle for SLICE_IDLE_MS), as the changes that do it. */
  giveBackUnused(nowMs: number): SharedOp[] {
    const ops: SharedOp[] = []
    for (const [bucket, counter] of this.#counters) {
      const isIdle = nowMs - counter.lastUseMs >= SLICE_IDLE_MS
      const kept: Slice[] = []
      for (const slice of counter.slices) {
        if (!isIdle && slice.expiresAtMs > nowMs) kept.push(slice)
        else ops.push(this.#giveBack(slice))
      }
      counter.slices = kept
      if (isIdle && !counter.isAsking) this.#counters.delete(bucket)
    }
    return ops
  }

  /** Every slice given back (shutting down). */
  giveBackAll(): SharedOp[] {
    return this.giveBackUnused(Number.POSITIVE_INFINITY)
  }

  /** The slices held, for a Redis that lost them (the calls made from them go with their giving back). */
  seedOps(): SharedOp[] {
    const ops: SharedOp[] = []
    for (const counter of this.#counters.values())
      for (const slice of counter.slices) {
        const { id, bucket, requests, tokens, heldUntilMs: untilMs, dayEndMs } = slice
        ops.push({ kind: 'slice', bucket, id, requests, tokens, untilMs, dayEndMs })
      }
    return ops
  }

  #giveBack(slice: Slice): SharedOp {
    slice.isGivenBack = true
    const calls: number[] = []
    for (const [second, counted] of slice.calls) calls.push(second, counted.requests, counted.tokens)
    return { kind: 'unslice', bucket: slice.bucket, id: slice.id, dayEndMs: slice.dayEndMs, calls }
  }

  #counterOf(bucket: string, nowMs: number): CounterSlices {
    let counter = this.#counters.get(bucket)
    if (counter === undefined) {
      counter = {
        slices: [],
        lastUseMs: nowMs,
        meterSecond: Math.floor(nowMs / 1000),
        callsNow: 0,
        callsBefore: 0,
        lastGranted: 0,
        lastGrantedTokens: 0,
        isAsking: false,
        askAfterMs: 0,
        averageTokens: 0,
      }
      this.#counters.set(bucket, counter)
    }
    this.#meter(counter, nowMs)
    return counter
  }

  #meter(counter: CounterSlices, nowMs: number): void {
    const second = Math.floor(nowMs / 1000)
    if (second !== counter.meterSecond) {
      counter.callsBefore = second === counter.meterSecond + 1 ? counter.callsNow : 0
      counter.callsNow = 0
      counter.meterSecond = second
    }
  }
}
