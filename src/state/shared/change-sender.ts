import { type OpBatch, OpQueue, type SharedOp } from './shared-ops.js'

/**
 * What every request leaves behind (its tokens counted as they were, what the learner saw) waits this
 * long for a call to Redis to go with: ioredis sends what one tick asks in one write, so on a busy
 * instance the next request's admission carries them, and they cost no socket write and no read of
 * their own (a system call each, per request). Anything another instance decides on (capacity taken or
 * given back, a cooldown, a breaker) goes at once.
 */
const CHANGES_WAIT_MS = 20

const canWait = (op: SharedOp): boolean =>
  op.kind === 'arm' || op.kind === 'plan' || (op.kind === 'count' && op.requests === 0)

export interface ChangeLink {
  /** Sends one batch to Redis; rejects when it did not arrive. */
  apply(batch: OpBatch): Promise<unknown>
  /** Whether changes go as they come (shared) or wait for a reconnection (local). */
  isShared(): boolean
  /** Whether there is a link to send through at all. */
  isAttached(): boolean
}

/**
 * The queue of changes bound for Redis and when they go: at once for what other instances decide on,
 * within 20 ms (or with the next call) for the rest, one batch at a time, each kept until Redis
 * acknowledges it so a batch lost with the connection is sent again.
 */
export class ChangeSender {
  readonly queue: OpQueue
  readonly #link: ChangeLink
  #isFlushing = false
  #timer: NodeJS.Timeout | null = null
  #flushScheduled = false

  constructor(instance: string, link: ChangeLink) {
    this.queue = new OpQueue(instance)
    this.#link = link
  }

  forward(op: SharedOp): void {
    this.queue.push(op)
    if (!this.#link.isShared() || this.#flushScheduled) return
    if (canWait(op)) {
      this.#timer ??= setTimeout(() => void this.sendWaiting(), CHANGES_WAIT_MS)
      return
    }
    this.#flushScheduled = true
    setImmediate(() => {
      this.#flushScheduled = false
      this.stopWaiting()
      void this.flush()
    })
  }

  /** The changes waiting for a call go now (before the call about to be made, in the same write). */
  sendWaiting(): Promise<void> {
    if (this.#timer === null) return Promise.resolve()
    this.stopWaiting()
    return this.flush()
  }

  stopWaiting(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }

  /** Sends every queued batch in order; stops at the first that fails (it stays queued). */
  async flush(): Promise<void> {
    if (this.#isFlushing || !this.#link.isAttached()) return
    this.#isFlushing = true
    try {
      for (let batch = this.queue.next(); batch !== null; batch = this.queue.next()) {
        try {
          await this.#link.apply(batch)
        } catch {
          return
        }
        this.queue.acknowledge(batch)
      }
    } finally {
      this.#isFlushing = false
    }
  }
}
