import type { Clock } from '../../lib/clock.js'
import type { CircuitBreaker } from '../circuit-breaker.js'
import type { Reservation } from '../rate-limit-tracker.js'
import type { Breaker, MemoryTargetParts, TargetStore, UsageWindows } from '../target-store.js'
import type { AttemptTarget } from '../types.js'
import { pairField, type SharedOp } from './shared-ops.js'

export interface ForwardingInput {
  clock: Clock
  bucketOf(target: AttemptTarget): string
  forward(op: SharedOp): void
  /** Told when a counter is restored from disk (what a Redis without it will be seeded with). */
  onRestored(target: AttemptTarget): void
}

/**
 * The mirror as the state rules see it: every change they make here (a breaker opened or closed, a
 * cooldown, a spent quota, a disabled key, a retired model, a call counted without Redis) is made in this
 * process at once and forwarded to the shared store, where the other instances pick it up.
 */
export function createForwardingStore(parts: MemoryTargetParts, input: ForwardingInput): TargetStore {
  const { store } = parts
  const breakers = new Map<string, Breaker>()
  const blockChanged = (target: AttemptTarget): void => {
    const block = store.blocks.blockOf(target)
    if (block === null || block.state === 'disabled' || block.untilMs === null) return
    const untilMs = block.untilMs
    input.forward({ kind: 'block', bucket: input.bucketOf(target), target, block: { ...block, untilMs } })
  }
  return {
    breakers: {
      of(target) {
        const field = pairField(target.provider, target.model)
        let breaker = breakers.get(field)
        if (breaker === undefined) {
          const inner = parts.breakerOf(target.provider, target.model)
          const reasonOf = () => store.breakers.lastFailure(target)
          breakers.set(field, (breaker = forwardingBreaker(inner, field, reasonOf, input.forward)))
        }
        return breaker
      },
      lastFailure: (target) => store.breakers.lastFailure(target),
      noteFailure: (target, why) => store.breakers.noteFailure(target, why),
    },
    windows: forwardingWindows(parts, input),
    blocks: {
      coolDown(target, durationMs, reason) {
        store.blocks.coolDown(target, durationMs, reason)
        blockChanged(target)
      },
      exhaustQuota(target, untilMs, reason) {
        store.blocks.exhaustQuota(target, untilMs, reason)
        blockChanged(target)
      },
      disableKey(provider, keyIndex, reason) {
        store.blocks.disableKey(provider, keyIndex, reason)
        input.forward({ kind: 'disable', field: pairField(provider, keyIndex), reason })
      },
      blockOf: (target) => store.blocks.blockOf(target),
      exportBlocks: () => store.blocks.exportBlocks(),
    },
    retired: {
      retire(provider, model, reason) {
        const isNew = store.retired.retire(provider, model, reason)
        const retired = store.retired.find(provider, model)
        if (retired !== null) input.forward({ kind: 'retire', field: pairField(provider, model), retired })
        return isNew
      },
      find: (provider, model) => store.retired.find(provider, model),
      isRetired: (provider, model) => store.retired.isRetired(provider, model),
      list: () => store.retired.list(),
    },
    touch: (target) => store.touch(target),
    seen: () => store.seen(),
  }
}

/** A breaker whose openings and closings (and released probes) reach the other instances. */
function forwardingBreaker(
  inner: CircuitBreaker,
  field: string,
  reasonOf: () => string | null,
  forward: (op: SharedOp) => void,
): Breaker {
  const forwardIfChanged = (changedBeforeMs: number): void => {
    const state = inner.sharedState()
    if (state.changedAtMs !== changedBeforeMs)
      forward({ kind: 'breaker', field, state: { ...state, reason: reasonOf() } })
  }
  return {
    state: () => inner.state(),
    openUntilMs: () => inner.openUntilMs(),
    recentFailures: () => inner.recentFailures(),
    isProbeInFlight: () => inner.isProbeInFlight(),
    canAcquire: () => inner.canAcquire(),
    tryAcquire: () => inner.tryAcquire(),
    releaseProbe() {
      inner.releaseProbe()
      forward({ kind: 'probe_done', field })
    },
    recordSuccess() {
      const before = inner.sharedState().changedAtMs
      inner.recordSuccess()
      forwardIfChanged(before)
    },
    recordFailure() {
      const before = inner.sharedState().changedAtMs
      inner.recordFailure()
      forwardIfChanged(before)
    },
  }
}

/** Windows whose own reservations (made while Redis is away) are counted in the shared store later. */
function forwardingWindows(parts: MemoryTargetParts, input: ForwardingInput): UsageWindows {
  const { tracker } = parts
  const count = (
    target: AttemptTarget,
    at: { second: number; dayEndMs: number },
    requests: number,
    tokens: number,
  ) => input.forward({ kind: 'count', bucket: input.bucketOf(target), ...at, requests, tokens })
  return {
    reserve(target, estimatedTokens): Reservation {
      const inner = tracker.reserve(target, estimatedTokens)
      const at = { second: Math.floor(inner.reservedAtMs / 1000), dayEndMs: tracker.dayEndMs(target) }
      const tokens = Math.round(inner.estimatedTokens)
      count(target, at, 1, tokens)
      let isDone = false
      return {
        target: inner.target,
        estimatedTokens: inner.estimatedTokens,
        reservedAtMs: inner.reservedAtMs,
        settle(actualTokens) {
          if (isDone) return
          isDone = true
          inner.settle(actualTokens)
          if (actualTokens !== null) count(target, at, 0, Math.round(Math.max(0, actualTokens)) - tokens)
        },
        release() {
          if (isDone) return
          isDone = true
          inner.release()
          count(target, at, -1, -tokens)
        },
      }
    },
    observe: (target, reading) => tracker.observe(target, reading),
    remaining: (target) => tracker.remaining(target),
    limits: (target) => tracker.limits(target),
    canServe: (target, estimatedTokens) => tracker.canServe(target, estimatedTokens),
    recoveryAtMs: (target, estimatedTokens, nowMs) => tracker.recoveryAtMs(target, estimatedTokens, nowMs),
    dayEndMs: (target) => tracker.dayEndMs(target),
    exportCounters: () => tracker.exportCounters(),
    importCounters(target, counters) {
      tracker.importCounters(target, counters)
      input.onRestored(target)
    },
  }
}
