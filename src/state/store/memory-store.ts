import { summarizeShares, summarizeTimeline } from './summarize-requests.js'
import type {
  ArmRecord,
  DailySavings,
  PromptCacheRow,
  RequestRecord,
  ResponseNote,
  ServedShare,
  Store,
  StoredRequest,
  StoreHealth,
  StoreTotals,
  TimelineBucket,
  UsageDelta,
  UsageRow,
} from './types.js'

const dayOf = (timeMs: number): string => new Date(timeMs).toISOString().slice(0, 10)

/** Requests kept for `recentRequests`; older ones only live on in the daily totals. */
const RECENT_LIMIT = 1_000
/** Days of savings totals kept, as the SQLite store's default retention. */
const DAYS_KEPT = 30

/**
 * Everything in memory, bounded: for tests and for running without a data dir. Daily savings are
 * running totals and only the last RECENT_LIMIT requests are kept, so a long-running server's memory
 * stays flat (it once kept every request and grew ~1 MB per thousand).
 */
export class MemoryStore implements Store {
  /** Why SmartSplit runs on memory although the config asked for a data dir; null when it asked for memory. */
  readonly #problem: string | null
  readonly #recent: StoredRequest[] = []
  #lastId = 0
  readonly #daily = new Map<string, DailySavings>()
  readonly #usage = new Map<string, UsageRow>()
  #arms: ArmRecord[] = []
  readonly #totals: StoreTotals = {
    sinceMs: null,
    requests: 0,
    errors: 0,
    freeTokens: 0,
    costUsd: 0,
    savedUsd: 0,
  }

  constructor(options: { problem?: string } = {}) {
    this.#problem = options.problem ?? null
  }

  recordRequest(record: RequestRecord): void {
    this.#lastId += 1
    this.#recent.push({ ...record, id: this.#lastId })
    if (this.#recent.length > RECENT_LIMIT * 2) this.#recent.splice(0, this.#recent.length - RECENT_LIMIT)
    this.#addToDay(record)
    this.#addToTotals(record)
  }

  #addToTotals(record: RequestRecord): void {
    const totals = this.#totals
    totals.sinceMs = totals.sinceMs === null ? record.timeMs : Math.min(totals.sinceMs, record.timeMs)
    totals.requests += 1
    if (record.outcome !== 'ok') totals.errors += 1
    if (record.costUsd === 0) totals.freeTokens += record.tokensIn + record.tokensOut
    totals.costUsd += record.costUsd
    totals.savedUsd += record.savedUsd
  }

  totals(): StoreTotals {
    return { ...this.#totals }
  }

  addUsage(delta: UsageDelta): void {
    const key = `${delta.day}|${delta.provider}|${delta.model}|${delta.keyIndex}`
    const row = this.#usage.get(key)
    if (row === undefined) this.#usage.set(key, { ...delta })
    else {
      row.requests += delta.requests
      row.tokensIn += delta.tokensIn
      row.tokensOut += delta.tokensOut
      row.tokensCached += delta.tokensCached
    }
  }

  saveArms(arms: readonly ArmRecord[]): void {
    this.#arms = arms.map((arm) => ({ ...arm }))
  }

  loadUsage(day: string): UsageRow[] {
    return [...this.#usage.values()].filter((row) => row.day === day).map((row) => ({ ...row }))
  }

  loadArms(): ArmRecord[] {
    return this.#arms.map((arm) => ({ ...arm }))
  }

  dailySavings(sinceDay: string): DailySavings[] {
    return [...this.#daily.values()]
      .filter((row) => row.day >= sinceDay)
      .map((row) => ({ ...row }))
      .sort((a, b) => a.day.localeCompare(b.day))
  }

  promptCache(sinceDay: string): PromptCacheRow[] {
    const byProvider = new Map<string, PromptCacheRow>()
    for (const row of this.#usage.values()) {
      if (row.day < sinceDay) continue
      const sum = byProvider.get(row.provider) ?? { provider: row.provider, promptTokens: 0, cachedTokens: 0 }
      sum.promptTokens += row.tokensIn
      sum.cachedTokens += row.tokensCached
      byProvider.set(row.provider, sum)
    }
    return [...byProvider.values()].sort((a, b) => a.provider.localeCompare(b.provider))
  }

  #addToDay(record: RequestRecord): void {
    const day = dayOf(record.timeMs)
    let row = this.#daily.get(day)
    if (row === undefined) {
      row = { day, requests: 0, freeTokensIn: 0, freeTokensOut: 0, costUsd: 0, savedUsd: 0 }
      this.#daily.set(day, row)
      const days = [...this.#daily.keys()].sort()
      for (const gone of days.slice(0, Math.max(0, days.length - DAYS_KEPT))) this.#daily.delete(gone)
      // Usage rows are per (provider-local) day: those older than the oldest day kept go too.
      const oldestKept = days[Math.max(0, days.length - DAYS_KEPT)] ?? day
      for (const [key, usage] of this.#usage) if (usage.day < oldestKept) this.#usage.delete(key)
    }
    row.requests += 1
    if (record.costUsd === 0) {
      row.freeTokensIn += record.tokensIn
      row.freeTokensOut += record.tokensOut
    }
    row.costUsd += record.costUsd
    row.savedUsd += record.savedUsd
  }

  recentRequests(limit: number): StoredRequest[] {
    return this.#recent.slice(-Math.min(limit, RECENT_LIMIT)).reverse()
  }

  requestsAfter(afterId: number, limit: number): StoredRequest[] {
    return this.#recent.filter((record) => record.id > afterId).slice(0, limit)
  }

  noteResponse(requestId: string, note: ResponseNote): void {
    const record = this.#recent.findLast((candidate) => candidate.requestId === requestId)
    if (record === undefined) return
    record.status = note.status
    record.client = note.client
  }

  timeline(sinceMs: number, bucketMs: number): TimelineBucket[] {
    return summarizeTimeline(this.#recent, sinceMs, bucketMs)
  }

  servedShares(sinceMs: number): ServedShare[] {
    return summarizeShares(this.#recent, sinceMs)
  }

  readonly #documents = new Map<string, string>()

  saveDocument(key: string, value: unknown): void {
    this.#documents.set(key, JSON.stringify(value))
  }

  loadDocument(key: string): unknown {
    const text = this.#documents.get(key)
    return text === undefined ? null : JSON.parse(text)
  }

  flush(): void {}

  health(): StoreHealth {
    return {
      backend: 'memory',
      state: this.#problem === null ? 'ok' : 'degraded',
      problem: this.#problem,
      pendingWrites: 0,
      droppedWrites: 0,
    }
  }

  close(): void {}
}
