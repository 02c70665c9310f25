import type { Clock } from '../lib/clock.js'

export interface CircuitBreakerOptions {
  /** Failures within `failureWindowMs` that open the breaker. */
  failureThreshold: number
  failureWindowMs: number
  /** How long the breaker stays open before letting one probe through. */
  openMs: number
  /** A probe not reported back within this time frees its slot (a caller that crashed mid-attempt). */
  probeTimeoutMs: number
}

export type BreakerState = 'closed' | 'open' | 'half_open'

/** What `tryAcquire` granted: an ordinary slot, or the single half-open probe. */
export type BreakerSlot = 'normal' | 'probe'

/** What several instances share of one breaker: whether it is open, and when that last changed. */
export interface SharedBreakerState {
  /** Null when closed; else when the open breaker turns half-open. */
  openUntilMs: number | null
  changedAtMs: number
}

const MINUTE_MS = 60_000

/**
 * One provider+model's breaker: `failureThreshold` failures within `failureWindowMs` open it for `openMs`;
 * then it is half-open and lets exactly one probe through at a time. The probe's success closes it, its
 * failure opens it again. Which failures count is decided by the caller (outcomeEffect): a 429 or a bad
 * request says nothing about the provider's health.
 */
export class CircuitBreaker {
  static readonly defaults: Readonly<CircuitBreakerOptions> = {
    failureThreshold: 3,
    failureWindowMs: 5 * MINUTE_MS,
    openMs: 30 * MINUTE_MS,
    probeTimeoutMs: 2 * MINUTE_MS,
  }

  readonly #clock: Clock
  readonly #options: CircuitBreakerOptions
  #failuresAtMs: number[] = []
  #openUntilMs: number | null = null
  #probeStartedAtMs: number | null = null
  #changedAtMs = Number.NEGATIVE_INFINITY

  constructor(clock: Clock, options: Partial<CircuitBreakerOptions> = {}) {
    this.#clock = clock
    this.#options = { ...CircuitBreaker.defaults, ...options }
  }

  state(): BreakerState {
    if (this.#openUntilMs === null) return 'closed'
    return this.#clock.nowMs() < this.#openUntilMs ? 'open' : 'half_open'
  }

  /** When an open breaker turns half-open; null unless open. */
  openUntilMs(): number | null {
    return this.state() === 'open' ? this.#openUntilMs : null
  }

  /** Counted failures inside the current window (closed state only; 0 otherwise). */
  recentFailures(): number {
    this.#pruneFailures()
    return this.#failuresAtMs.length
  }

  /** True when a half-open breaker's probe slot is taken by an attempt still running. */
  isProbeInFlight(): boolean {
    if (this.#probeStartedAtMs === null) return false
    return this.#clock.nowMs() - this.#probeStartedAtMs < this.#options.probeTimeoutMs
  }

  /** Whether `tryAcquire` would grant a slot now, without taking it. */
  canAcquire(): boolean {
    const state = this.state()
    if (state === 'closed') return true
    return state === 'half_open' && !this.isProbeInFlight()
  }

  /** Takes a slot: always when closed, the single probe when half-open, none when open. */
  tryAcquire(): BreakerSlot | null {
    const state = this.state()
    if (state === 'closed') return 'normal'
    if (state === 'open' || this.isProbeInFlight()) return null
    this.#probeStartedAtMs = this.#clock.nowMs()
    return 'probe'
  }

  /** A probe that ended without a verdict (rate-limited, cancelled, never sent) frees its slot. */
  releaseProbe(): void {
    this.#probeStartedAtMs = null
  }

  /** Whether it is open and since when, for instances that share breakers. */
  sharedState(): SharedBreakerState {
    return { openUntilMs: this.#openUntilMs, changedAtMs: this.#changedAtMs }
  }

  /**
   * Takes another instance's view when it changed later than this one's: opened there (this one stops
   * calling too) or closed by a probe that succeeded there. Failures counted here start again.
   */
  adopt(shared: SharedBreakerState): void {
    if (shared.changedAtMs <= this.#changedAtMs) return
    this.#openUntilMs = shared.openUntilMs
    this.#changedAtMs = shared.changedAtMs
    this.#probeStartedAtMs = null
    this.#failuresAtMs = []
  }

  recordSuccess(): void {
    // A success from an attempt that started before the breaker opened proves little: stay open.
    const state = this.state()
    if (state === 'open') return
    // While closed, a success does not wipe the window: "3 failures in 5 minutes" must also open a model
    // that fails two calls in three (and the breaker is shared by every key of the model, so one key's
    // success would otherwise hide another key's 529s). Only the half-open probe's success closes it.
    if (state === 'closed') return
    this.#openUntilMs = null
    this.#probeStartedAtMs = null
    this.#failuresAtMs = []
    this.#changedAtMs = this.#clock.nowMs()
  }

  recordFailure(): void {
    const state = this.state()
    if (state === 'open') return
    if (state === 'half_open') {
      this.#open()
      return
    }
    this.#failuresAtMs.push(this.#clock.nowMs())
    this.#pruneFailures()
    if (this.#failuresAtMs.length >= this.#options.failureThreshold) this.#open()
  }

  #open(): void {
    this.#changedAtMs = this.#clock.nowMs()
    this.#openUntilMs = this.#changedAtMs + this.#options.openMs
    this.#probeStartedAtMs = null
    this.#failuresAtMs = []
  }

  #pruneFailures(): void {
    const oldestKeptMs = this.#clock.nowMs() - this.#options.failureWindowMs
    this.#failuresAtMs = this.#failuresAtMs.filter((atMs) => atMs > oldestKeptMs)
  }
}
