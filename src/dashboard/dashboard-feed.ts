import type { DashboardSource } from './dashboard-source.js'
import type { RequestView } from './types.js'

/** One open dashboard: told each named event with its JSON payload. */
export type FeedListener = (event: string, data: string) => void

export interface FeedTimers {
  setInterval(run: () => void, ms: number): { unref?(): void }
  clearInterval(handle: unknown): void
}

/** Provider state is compared every second: a cooldown shows within two. */
const TICK_MS = 1_000
/** Aggregates (charts, routing shares) are recomputed at most this often while requests arrive… */
const AGGREGATES_MIN_MS = 5_000
/** …and this often when none do, so that the charts' time axis moves on. */
const AGGREGATES_MAX_MS = 60_000
/** A request whose response is not noted yet is held back this long for its status. */
const STATUS_WAIT_MS = 3_000
const HEARTBEAT_MS = 25_000

/**
 * The dashboards' live updates, computed once for all of them and only while one is open: every second
 * the provider state is compared with what was sent and sent again only when it changed; new requests
 * and the aggregates are looked up only after a request finished. An idle server with a dashboard open
 * does one provider-state comparison a second and nothing else.
 */
export class DashboardFeed {
  readonly #source: DashboardSource
  readonly #nowMs: () => number
  readonly #timers: FeedTimers
  readonly #listeners = new Set<FeedListener>()
  #timer: unknown = null
  #sent = new Map<string, string>()
  #lastCount = -1
  #lastRequestId = 0
  #isHoldingRequests = false
  #hasUnsentAggregates = false
  #aggregatesAtMs = 0
  #heartbeatAtMs = 0

  constructor(source: DashboardSource, nowMs: () => number, timers: FeedTimers = globalThis) {
    this.#source = source
    this.#nowMs = nowMs
    this.#timers = timers
  }

  /**
   * Starts sending to `listener` (from the next change on); returns how to stop. A dashboard that joins
   * a running feed may be sent a request its snapshot already held: the page replaces it by id.
   */
  subscribe(listener: FeedListener, lastRequestId: number): () => void {
    if (this.#listeners.size === 0) this.#start(lastRequestId)
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
      if (this.#listeners.size === 0) this.#stop()
    }
  }

  #start(lastRequestId: number): void {
    this.#sent = new Map()
    this.#lastCount = this.#source.requestCount()
    this.#lastRequestId = lastRequestId
    this.#isHoldingRequests = false
    this.#hasUnsentAggregates = false
    this.#aggregatesAtMs = this.#nowMs()
    this.#heartbeatAtMs = this.#nowMs()
    const handle = this.#timers.setInterval(() => this.tick(), TICK_MS)
    handle.unref?.()
    this.#timer = handle
  }

  #stop(): void {
    this.#timers.clearInterval(this.#timer)
    this.#timer = null
  }

  /** One round of comparisons; run by the timer (public for tests that drive time themselves). */
  tick(): void {
    const nowMs = this.#nowMs()
    this.#sendIfChanged('providers', this.#source.providers())
    this.#sendIfChanged('config', this.#source.config())
    const count = this.#source.requestCount()
    const hasNewRequests = count !== this.#lastCount || this.#isHoldingRequests
    this.#lastCount = count
    if (hasNewRequests) {
      this.#sendNewRequests(nowMs)
      // Headline figures follow every request; charts and shares wait for the next aggregate round.
      this.#sendIfChanged('totals', this.#source.totals())
    }
    if (hasNewRequests) this.#hasUnsentAggregates = true
    const sinceAggregates = nowMs - this.#aggregatesAtMs
    if (
      (this.#hasUnsentAggregates && sinceAggregates >= AGGREGATES_MIN_MS) ||
      sinceAggregates >= AGGREGATES_MAX_MS
    ) {
      this.#aggregatesAtMs = nowMs
      this.#hasUnsentAggregates = false
      this.#sendIfChanged('overview', this.#source.overview())
      this.#sendIfChanged('routing', this.#source.routing())
    }
    if (nowMs - this.#heartbeatAtMs >= HEARTBEAT_MS) {
      this.#heartbeatAtMs = nowMs
      this.#broadcast('heartbeat', String(nowMs))
    }
  }

  #sendNewRequests(nowMs: number): void {
    const fresh = this.#source.requestsAfter(this.#lastRequestId, 200)
    // A request is sent once its status is known (or it has waited long enough), so rows arrive whole.
    const ready: RequestView[] = []
    for (const request of fresh) {
      if (request.status === null && nowMs - request.timeMs < STATUS_WAIT_MS) break
      ready.push(request)
    }
    this.#isHoldingRequests = ready.length < fresh.length || fresh.length === 200
    if (ready.length === 0) return
    this.#lastRequestId = ready.at(-1)!.id
    this.#broadcast('requests', JSON.stringify(ready))
  }

  #sendIfChanged(event: string, value: unknown): void {
    const data = JSON.stringify(value)
    if (this.#sent.get(event) === data) return
    this.#sent.set(event, data)
    this.#broadcast(event, data)
  }

  #broadcast(event: string, data: string): void {
    for (const listener of this.#listeners) listener(event, data)
  }
}
