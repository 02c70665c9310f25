import type { SharedBreakerState } from '../circuit-breaker.js'
import type { Block } from '../cooldowns.js'
import type { RetiredModel } from '../retired-models.js'
import type { AttemptTarget } from '../types.js'

/** One change to the shared state, applied by apply-script.ts (field names are read there). */
export type SharedOp =
  /** Requests and tokens added to (or, negative, taken from) a counter's second and day. */
  | { kind: 'count'; bucket: string; second: number; dayEndMs: number; requests: number; tokens: number }
  /**
   * What this instance last saw of a counter (minute: second, requests, tokens, …), for a Redis that
   * may not have it. `afterLoss`: Redis lost it (this instance saw its state start again), and what was
   * counted since goes on top of the largest count any instance saw; otherwise Redis may count the same
   * calls already, and the counter is only raised to it.
   */
  | {
      kind: 'seed'
      bucket: string
      minute: number[]
      dayEndMs: number
      requests: number
      tokens: number
      afterLoss: boolean
    }
  /**
   * A slice given back (leased-slices.ts), with the calls made from it ([second, requests, tokens, …])
   * counted in the same step; also sent for a slice whose grant's answer was lost (no calls).
   */
  | { kind: 'unslice'; bucket: string; id: string; dayEndMs: number; calls: number[] }
  /** A slice this instance holds, for a Redis that lost it. */
  | {
      kind: 'slice'
      bucket: string
      id: string
      requests: number
      tokens: number
      untilMs: number
      dayEndMs: number
    }
  | { kind: 'block'; bucket: string; target: AttemptTarget; block: Block & { untilMs: number } }
  | { kind: 'disable'; field: string; reason: string }
  | { kind: 'breaker'; field: string; state: SharedBreakerState & { reason: string | null } }
  | { kind: 'probe_done'; field: string }
  | { kind: 'retire'; field: string; retired: RetiredModel }
  | { kind: 'arm'; task: string; field: string; reward: number; discount: number }
  | {
      kind: 'arm_seed'
      task: string
      field: string
      pulls: number
      rewardSum: number
      rewardSquareSum: number
      observations: number
    }
  | { kind: 'plan'; key: string; split: string; atMs: number }
  /** A conversation's pin, set at atMs and forgotten idleMs after its last use (pin-lua.ts). */
  | { kind: 'pin'; key: string; pin: AttemptTarget; atMs: number; idleMs: number }

/** The field of a provider+model (breakers, retirements) or provider+key (disabled keys). */
export const pairField = (first: string, second: string | number): string => `${first}\u0000${second}`

/** Operations kept while Redis is away: beyond this many, the oldest learning and plan entries go first. */
export const MAX_PENDING_OPS = 200_000
const BATCH_SIZE = 500
const SHED_STEP = 10_000

/** A batch in flight keeps its id when sent again, so Redis applies it at most once. */
export interface OpBatch {
  id: string
  ops: SharedOp[]
}

/**
 * Operations waiting for Redis, in order. A batch taken out stays at the head until it is acknowledged,
 * so a lost answer resends the same batch (same id) instead of a new one.
 */
export class OpQueue {
  readonly #instance: string
  #sequence = 0
  #pending: SharedOp[] = []
  #head: OpBatch | null = null
  dropped = 0

  constructor(instance: string) {
    this.#instance = instance
  }

  get size(): number {
    return this.#pending.length + (this.#head?.ops.length ?? 0)
  }

  push(op: SharedOp): void {
    this.#pending.push(op)
    // Shed in steps, not on every push once full: each shedding walks the whole queue.
    if (this.#pending.length > MAX_PENDING_OPS + SHED_STEP) this.#shed()
  }

  /** Puts operations before everything pending (a seed must land before the counts made meanwhile). */
  pushFirst(ops: readonly SharedOp[]): void {
    this.#pending = [...ops, ...this.#pending]
  }

  /** The batch to send next: the unacknowledged one, or a new one; null when nothing waits. */
  next(): OpBatch | null {
    if (this.#head === null && this.#pending.length > 0) {
      const ops = this.#pending.splice(0, BATCH_SIZE)
      this.#head = { id: `${this.#instance}:${++this.#sequence}`, ops }
    }
    return this.#head
  }

  acknowledge(batch: OpBatch): void {
    if (this.#head === batch) this.#head = null
  }

  #shed(): void {
    const excess = this.#pending.length - MAX_PENDING_OPS
    let shed = 0
    this.#pending = this.#pending.filter((op) => {
      if (shed >= excess || op.kind === 'count' || op.kind === 'seed') return true
      shed++
      return false
    })
    if (this.#pending.length > MAX_PENDING_OPS) {
      shed += this.#pending.length - MAX_PENDING_OPS
      this.#pending = this.#pending.slice(-MAX_PENDING_OPS)
    }
    this.dropped += shed
  }
}
