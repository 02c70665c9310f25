import { boundedWaitMs } from '../errors.js'
import type { FreeTierLimits } from '../providers/catalog.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'
import { MAX_COOLDOWN_MS } from './cooldowns.js'
import { nextDailyResetMs } from './next-daily-reset-ms.js'
import type { EffectiveLimits, MinuteEntry, RemainingCapacity, UsageCounters } from './types.js'

const MINUTE_MS = 60_000
/** A provider's figure for a day window holds at most this long past the day's end (a late reset). */
const DAY_GRACE_MS = 3_600_000
/**
 * Reservations made within this span share one minute-log slot, stamped with the latest of them: the
 * log holds at most 600 slots however busy the target is (one entry per call held ~120 000 objects for
 * a minute at 2 000 req/s, all promoted to the old heap). A slot ages out when its latest call does, so
 * capacity frees at most 100 ms late, never early.
 */
const SLOT_MS = 100

type WindowName = keyof RemainingCapacity
const LIMIT_OF: Readonly<Record<WindowName, keyof EffectiveLimits>> = {
  requestsMinute: 'rpm',
  requestsDay: 'rpd',
  tokensMinute: 'tpm',
  tokensDay: 'tpd',
}

/** What the provider said is left, valid until its reset; counts made after it are subtracted. */
interface ProviderFigure {
  remaining: number
  untilMs: number
  /** The cumulative local count when the figure was read. */
  baseline: number
}

/**
 * The four windows of one provider+model+key. Minutes slide (a log of the last 60 s); days are fixed
 * and end at the provider's local midnight. A provider's own figure (remaining + reset, from response
 * headers) replaces local counting for its window until that reset, because the provider also counts
 * calls SmartSplit never saw (other apps on the same key, a restart).
 */
export class TargetUsage {
  readonly #configured: FreeTierLimits
  readonly #resetZone: string
  readonly #learned: EffectiveLimits = { rpm: null, rpd: null, tpm: null, tpd: null }
  /** A lower ceiling over every limit while this process serves alone its share of a shared one. */
  #cap: EffectiveLimits | null = null
  readonly #figures: Partial<Record<WindowName, ProviderFigure>> = {}
  // The minute log is time-ordered; entries older than 60 s are dropped from the front (by moving #head,
  // compacting now and then) and running sums are kept, so a busy target costs O(1) per check instead of
  // a scan of every call in the last minute (that scan took a fifth of SmartSplit's CPU under load).
  #minute: MinuteEntry[] = []
  #head = 0
  /** When the newest slot opened; later reservations join it until SLOT_MS has passed. */
  #newestSlotOpenedMs = Number.NEGATIVE_INFINITY
  #minuteRequests = 0
  #minuteTokens = 0
  #prunedBeforeMs = Number.NEGATIVE_INFINITY
  #day: UsageCounters['day']
  #totalRequests = 0
  #totalTokens = 0

  constructor(configured: FreeTierLimits, resetZone: string, nowMs: number) {
    this.#configured = configured
    this.#resetZone = resetZone
    this.#day = { endMs: nextDailyResetMs(nowMs, resetZone), requests: 0, tokens: 0 }
  }

  /**
   * Counts a reservation. Returns the minute-log slot it was counted in and the end of its day window,
   * both to be handed back to `adjust` when the reservation is settled or released.
   */
  add(requests: number, tokens: number, nowMs: number): { slot: MinuteEntry; dayEndMs: number } {
    this.#rollDay(nowMs)
    let slot = this.#head < this.#minute.length ? this.#minute[this.#minute.length - 1] : undefined
    if (slot !== undefined && nowMs >= slot.atMs && nowMs - this.#newestSlotOpenedMs < SLOT_MS) {
      slot.atMs = nowMs
      slot.requests += requests
      slot.tokens += tokens
    } else {
      slot = { atMs: nowMs, requests, tokens }
      this.#minute.push(slot)
      this.#newestSlotOpenedMs = nowMs
    }
    this.#minuteRequests += requests
    this.#minuteTokens += tokens
    this.#day.requests += requests
    this.#day.tokens += tokens
    this.#totalRequests += requests
    this.#totalTokens += tokens
    return { slot, dayEndMs: this.#day.endMs }
  }

  /** Corrects a reservation (settled or released); the day is only touched if it is still the same day. */
  adjust(
    entry: MinuteEntry,
    dayEndMs: number,
    requestsDelta: number,
    tokensDelta: number,
    nowMs: number,
  ): void {
    this.#rollDay(nowMs)
    entry.requests += requestsDelta
    entry.tokens += tokensDelta
    if (entry.atMs > this.#prunedBeforeMs) {
      this.#minuteRequests += requestsDelta
      this.#minuteTokens += tokensDelta
    }
    if (this.#day.endMs === dayEndMs) {
      this.#day.requests = Math.max(0, this.#day.requests + requestsDelta)
      this.#day.tokens = Math.max(0, this.#day.tokens + tokensDelta)
    }
    this.#totalRequests += requestsDelta
    this.#totalTokens += tokensDelta
  }

  limits(): EffectiveLimits {
    const limits = {
      rpm: this.#configured.rpm ?? this.#learned.rpm,
      rpd: this.#configured.rpd ?? this.#learned.rpd,
      tpm: this.#configured.tpm ?? this.#learned.tpm,
      tpd: this.#configured.tpd ?? this.#learned.tpd,
    }
    return this.#cap === null ? limits : capped(limits, this.#cap)
  }

  /** Serves at most `cap` of each limit (null lifts it): one instance's share while it counts alone. */
  capLimits(cap: EffectiveLimits | null): void {
    this.#cap = cap === null ? null : { ...cap }
  }

  /**
   * Takes another count of the same windows as the truth (a store shared by several instances counts
   * everyone's calls). What the others added since counts against the provider's stated figures too.
   */
  replaceCounts(counters: UsageCounters, nowMs: number): void {
    this.#rollDay(nowMs)
    const isSameDay = counters.day.endMs === this.#day.endMs
    const day = isSameDay ? counters.day : { endMs: this.#day.endMs, requests: 0, tokens: 0 }
    this.#totalRequests += Math.max(0, day.requests - this.#day.requests)
    this.#totalTokens += Math.max(0, day.tokens - this.#day.tokens)
    this.#day = { ...day }
    this.#minute = []
    this.#head = 0
    this.#importMinute(counters.minute, nowMs)
  }

  remaining(nowMs: number): RemainingCapacity {
    const local = this.#localRemaining(nowMs)
    const result = { ...local }
    for (const name of Object.keys(LIMIT_OF) as WindowName[]) {
      const figure = this.#figures[name]
      if (figure === undefined) continue
      if (nowMs >= figure.untilMs) delete this.#figures[name]
      else result[name] = Math.max(0, figure.remaining - Math.max(0, this.#total(name) - figure.baseline))
    }
    return result
  }

  /** Applies the figures read from a response's headers; a window the provider does not name is minute. */
  observe(reading: RateLimitReading, nowMs: number): void {
    this.#rollDay(nowMs)
    const requestsWindow = reading.requestsWindow === 'day' ? 'requestsDay' : 'requestsMinute'
    const tokensWindow = reading.tokensWindow === 'day' ? 'tokensDay' : 'tokensMinute'
    this.#setFigure(
      requestsWindow,
      reading.requestsLimit,
      reading.requestsRemaining,
      reading.requestsResetMs,
      nowMs,
    )
    this.#setFigure(tokensWindow, reading.tokensLimit, reading.tokensRemaining, reading.tokensResetMs, nowMs)
  }

  /**
   * The earliest time at which `requests` and `tokens` fit every window: `nowMs` when they fit now, null
   * when they never will (a request larger than the whole per-minute or per-day budget).
   */
  recoveryAtMs(requests: number, tokens: number, nowMs: number): number | null {
    const remaining = this.remaining(nowMs)
    const limits = this.limits()
    let atMs = nowMs
    for (const name of Object.keys(LIMIT_OF) as WindowName[]) {
      const need = name.startsWith('requests') ? requests : tokens
      const left = remaining[name]
      if (left === null || left >= need) continue
      const limit = limits[LIMIT_OF[name]]
      if (limit !== null && need > limit) return null
      const figure = this.#figures[name]
      const figureEndMs = figure !== undefined && nowMs < figure.untilMs ? figure.untilMs : nowMs
      const localAtMs = this.#localRecoveryAtMs(name, need, limit, nowMs)
      atMs = Math.max(atMs, figureEndMs, localAtMs)
    }
    return atMs
  }

  dayEndMs(nowMs: number): number {
    this.#rollDay(nowMs)
    return this.#day.endMs
  }

  exportCounters(nowMs: number): UsageCounters {
    this.#rollDay(nowMs)
    this.#pruneMinute(nowMs)
    return { day: { ...this.#day }, minute: this.#minute.slice(this.#head).map((entry) => ({ ...entry })) }
  }

  /** Restores saved counters; a saved day that has already ended, and minute entries older than 60 s, are dropped. */
  importCounters(counters: UsageCounters, nowMs: number): void {
    this.#rollDay(nowMs)
    if (counters.day.endMs === this.#day.endMs) {
      this.#day = { ...counters.day }
      this.#totalRequests += counters.day.requests
      this.#totalTokens += counters.day.tokens
    }
    this.#importMinute(counters.minute, nowMs)
  }

  #importMinute(entries: readonly MinuteEntry[], nowMs: number): void {
    const cutoffMs = nowMs - MINUTE_MS
    const minute = entries.filter((entry) => entry.atMs > cutoffMs && entry.atMs <= nowMs)
    this.#minute = [...minute.map((entry) => ({ ...entry })), ...this.#minute.slice(this.#head)].sort(
      (a, b) => a.atMs - b.atMs,
    )
    this.#head = 0
    this.#newestSlotOpenedMs = Number.NEGATIVE_INFINITY
    this.#minuteRequests = this.#minute.reduce((sum, entry) => sum + entry.requests, 0)
    this.#minuteTokens = this.#minute.reduce((sum, entry) => sum + entry.tokens, 0)
  }

  #setFigure(
    name: WindowName,
    limit: number | null,
    remaining: number | null,
    resetMs: number | null,
    nowMs: number,
  ): void {
    if (limit !== null) this.#learned[LIMIT_OF[name]] = limit
    if (remaining === null) return
    const isDay = name.endsWith('Day')
    const windowEndMs = isDay ? this.#day.endMs : nowMs + MINUTE_MS
    // A stated reset is believed up to the end of its window's longest sane span: a day window's end
    // plus an hour, a day for any other window (an absurd header must not block a key for years).
    const latestMs = isDay ? this.#day.endMs + DAY_GRACE_MS : nowMs + MAX_COOLDOWN_MS
    const waitMs = boundedWaitMs(resetMs, latestMs - nowMs)
    const untilMs = waitMs !== null ? nowMs + waitMs : windowEndMs
    this.#figures[name] = { remaining: Math.max(0, remaining), untilMs, baseline: this.#total(name) }
  }

  #total(name: WindowName): number {
    return name.startsWith('requests') ? this.#totalRequests : this.#totalTokens
  }

  #localRemaining(nowMs: number): RemainingCapacity {
    this.#rollDay(nowMs)
    this.#pruneMinute(nowMs)
    const limits = this.limits()
    const minuteRequests = this.#minuteRequests
    const minuteTokens = this.#minuteTokens
    const left = (limit: number | null, used: number): number | null =>
      limit === null ? null : Math.max(0, limit - used)
    return {
      requestsMinute: left(limits.rpm, minuteRequests),
      requestsDay: left(limits.rpd, this.#day.requests),
      tokensMinute: left(limits.tpm, minuteTokens),
      tokensDay: left(limits.tpd, this.#day.tokens),
    }
  }

  /** When local counting alone lets `need` through: entries age out of the minute, the day resets. */
  #localRecoveryAtMs(name: WindowName, need: number, limit: number | null, nowMs: number): number {
    if (limit === null) return nowMs
    if (name === 'requestsDay' || name === 'tokensDay') {
      const used = name === 'requestsDay' ? this.#day.requests : this.#day.tokens
      return used + need <= limit ? nowMs : this.#day.endMs
    }
    const field = name === 'requestsMinute' ? 'requests' : 'tokens'
    let used = field === 'requests' ? this.#minuteRequests : this.#minuteTokens
    if (used + need <= limit) return nowMs
    for (let index = this.#head; index < this.#minute.length; index++) {
      const entry = this.#minute[index]!
      used -= entry[field]
      if (used + need <= limit) return entry.atMs + MINUTE_MS
    }
    return nowMs + MINUTE_MS
  }

  #rollDay(nowMs: number): void {
    if (nowMs < this.#day.endMs) return
    this.#day = { endMs: nextDailyResetMs(nowMs, this.#resetZone), requests: 0, tokens: 0 }
  }

  #pruneMinute(nowMs: number): void {
    const cutoffMs = nowMs - MINUTE_MS
    while (this.#head < this.#minute.length && this.#minute[this.#head]!.atMs <= cutoffMs) {
      const entry = this.#minute[this.#head]!
      this.#minuteRequests -= entry.requests
      this.#minuteTokens -= entry.tokens
      this.#head++
    }
    this.#prunedBeforeMs = Math.max(this.#prunedBeforeMs, cutoffMs)
    if (this.#head > 1024 && this.#head * 2 > this.#minute.length) {
      this.#minute = this.#minute.slice(this.#head)
      this.#head = 0
    }
  }
}

function capped(limits: EffectiveLimits, cap: EffectiveLimits): EffectiveLimits {
  const lower = (limit: number | null, ceiling: number | null): number | null =>
    limit === null ? ceiling : ceiling === null ? limit : Math.min(limit, ceiling)
  return {
    rpm: lower(limits.rpm, cap.rpm),
    rpd: lower(limits.rpd, cap.rpd),
    tpm: lower(limits.tpm, cap.tpm),
    tpd: lower(limits.tpd, cap.tpd),
  }
}
