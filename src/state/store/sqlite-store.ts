import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { readTotals } from './all-time-totals.js'
import { MIGRATIONS } from './migrations.js'
import {
  readRecentRequests,
  readRequestsAfter,
  readServedShares,
  readTimeline,
} from './request-log-queries.js'
import { DATABASE_FILE } from './sqlite-reader.js'
import { StorageProblems } from './storage-problems.js'
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
import { writeBatch } from './write-batch.js'

export interface SqliteStoreOptions {
  dataDir: string
  nowMs: () => number
  retentionDays?: number
  /** How often queued writes are committed; a slow disk never slows a response. */
  flushIntervalMs?: number
  /** Where failed writes are reported (throttled: once per kind of error per minute). */
  warn?: (message: string) => void
  /** Opens the file; tests pass one that caps the file's size, as a full disk would. */
  openDatabase?: (path: string) => Database.Database
  /** Called once the database is closed (the data dir's lock is released then). */
  onClose?: () => void
}

const DAY_MS = 86_400_000
/** Writes kept per queue while the disk fails: about 5 MB of request records. */
const MAX_PENDING_PER_QUEUE = 10_000
/** Logged prompts kept while the disk fails (log_prompts: each may be megabytes): 64 Mi characters. */
const MAX_PENDING_PROMPT_CHARS = 64 * 1024 * 1024
/** Retries back off from 2 s to at most a minute while the disk keeps failing. */
const MAX_RETRY_DELAY_MS = 60_000

/**
 * Brings the schema up to date, one step per transaction. Each step takes the write lock first and reads
 * the version under it, so two processes opening one new database at once (workers) never both run it.
 */
function migrate(db: Database.Database): void {
  const stepOnce = db.transaction((step: number) => {
    if ((db.pragma('user_version', { simple: true }) as number) !== step) return
    db.exec(MIGRATIONS[step]!)
    db.pragma(`user_version = ${step + 1}`)
  })
  let version = db.pragma('user_version', { simple: true }) as number
  while (version < MIGRATIONS.length) {
    stepOnce.immediate(version)
    version = db.pragma('user_version', { simple: true }) as number
  }
}

/** SQLite's own check found damage in the file. */
export class CorruptDatabaseError extends Error {
  readonly code = 'SQLITE_CORRUPT'

  constructor(path: string, finding: string) {
    super(`database disk image is malformed: ${path}: ${finding}`)
    this.name = 'CorruptDatabaseError'
  }
}

/** The embedded default store: one SQLite file in the data dir, owner-only, WAL so readers never block. */
export class SqliteStore implements Store {
  readonly path: string
  readonly #db: Database.Database
  readonly #nowMs: () => number
  readonly #retentionMs: number
  readonly #timer: NodeJS.Timeout
  readonly #problems: StorageProblems
  readonly #onClose: () => void
  #failedSince = 0
  #retryAtMs = 0
  #droppedWrites = 0
  #requests: RequestRecord[] = []
  /** Usage summed per day, provider, model and key until the next write: one upsert each, not one per request. */
  #usage = new Map<string, UsageDelta>()
  #arms: readonly ArmRecord[] | null = null
  readonly #documents = new Map<string, string>()
  /** Responses of requests already written; those of queued requests go straight into their record. */
  readonly #responses = new Map<string, ResponseNote>()
  /** The queued requests by id, so a response finds its record at once however long the queue. */
  readonly #queuedById = new Map<string, RequestRecord>()
  #lastPruneMs = 0

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
    this.path = join(options.dataDir, DATABASE_FILE)
    const isNew = !existsSync(this.path)
    this.#db = (options.openDatabase ?? ((path) => new Database(path)))(this.path)
    try {
      if (isNew) chmodSync(this.path, 0o600)
      // A corrupt, truncated or foreign file fails here rather than at some later read or write. The
      // check reads every page once: about 3 ms per MB, 145 ms for a 46 MB log of 300 000 requests.
      const check = this.#db.pragma('quick_check(1)', { simple: true })
      if (check !== 'ok') throw new CorruptDatabaseError(this.path, String(check))
      this.#db.pragma('journal_mode = WAL')
      this.#db.pragma('busy_timeout = 5000')
      for (const suffix of ['-wal', '-shm'])
        if (existsSync(this.path + suffix)) chmodSync(this.path + suffix, 0o600)
      migrate(this.#db)
    } catch (error) {
      this.#db.close()
      throw error
    }
    this.#nowMs = options.nowMs
    this.#retentionMs = (options.retentionDays ?? 30) * DAY_MS
    this.#problems = new StorageProblems(options.nowMs, options.warn ?? (() => {}))
    this.#onClose = options.onClose ?? (() => {})
    try {
      this.#prune()
    } catch (error) {
      this.#problems.failed(error, 0)
    }
    // Errors never escape the timer: an uncaught one would end the process, and again after each restart.
    this.#timer = setInterval(() => {
      if (this.#nowMs() >= this.#retryAtMs) this.flush()
    }, options.flushIntervalMs ?? 1000)
    this.#timer.unref()
  }

  recordRequest(record: RequestRecord): void {
    this.#requests.push(record)
    if (record.requestId !== null) this.#queuedById.set(record.requestId, record)
  }

  addUsage(delta: UsageDelta): void {
    const key = `${delta.day}\u0000${delta.provider}\u0000${delta.model}\u0000${delta.keyIndex}`
    const queued = this.#usage.get(key)
    if (queued === undefined) {
      this.#usage.set(key, { ...delta })
      return
    }
    queued.requests += delta.requests
    queued.tokensIn += delta.tokensIn
    queued.tokensOut += delta.tokensOut
    queued.tokensCached += delta.tokensCached
  }

  saveArms(arms: readonly ArmRecord[]): void {
    this.#arms = arms
  }

  loadUsage(day: string): UsageRow[] {
    this.flush()
    return this.#db
      .prepare(
        'SELECT day, provider, model, key_index AS keyIndex, requests, tokens_in AS tokensIn, tokens_out AS tokensOut, tokens_cached AS tokensCached FROM usage WHERE day = ?',
      )
      .all(day) as UsageRow[]
  }

  loadArms(): ArmRecord[] {
    this.flush()
    const rows = this.#db
      .prepare(
        'SELECT task, provider, model, pulls, reward_sum AS rewardSum, reward_square_sum AS rewardSquareSum FROM arms',
      )
      .all() as {
      task: string
      provider: string
      model: string
      pulls: number
      rewardSum: number
      rewardSquareSum: number | null
    }[]
    return rows.map(({ rewardSquareSum, ...arm }) =>
      rewardSquareSum === null ? arm : { ...arm, rewardSquareSum },
    )
  }

  dailySavings(sinceDay: string): DailySavings[] {
    this.flush()
    const sinceMs = Date.parse(`${sinceDay}T00:00:00Z`)
    return this.#db
      .prepare(
        `SELECT strftime('%Y-%m-%d', time_ms / 1000, 'unixepoch') AS day, COUNT(*) AS requests,
                SUM(CASE WHEN cost_usd = 0 THEN tokens_in ELSE 0 END) AS freeTokensIn,
                SUM(CASE WHEN cost_usd = 0 THEN tokens_out ELSE 0 END) AS freeTokensOut,
                SUM(cost_usd) AS costUsd, SUM(saved_usd) AS savedUsd
         FROM request_log WHERE time_ms >= ? GROUP BY day ORDER BY day`,
      )
      .all(sinceMs) as DailySavings[]
  }

  promptCache(sinceDay: string): PromptCacheRow[] {
    this.flush()
    return this.#db
      .prepare(
        `SELECT provider, SUM(tokens_in) AS promptTokens, SUM(tokens_cached) AS cachedTokens
         FROM usage WHERE day >= ? GROUP BY provider ORDER BY provider`,
      )
      .all(sinceDay) as PromptCacheRow[]
  }

  recentRequests(limit: number): StoredRequest[] {
    this.flush()
    return readRecentRequests(this.#db, limit)
  }

  requestsAfter(afterId: number, limit: number): StoredRequest[] {
    this.flush()
    return readRequestsAfter(this.#db, afterId, limit)
  }

  noteResponse(requestId: string, note: ResponseNote): void {
    // The pipeline reports a request just before its response ends: it is nearly always still queued.
    const queued = this.#queuedById.get(requestId)
    if (queued !== undefined) {
      queued.status = note.status
      queued.client = note.client
      return
    }
    if (this.#responses.size < MAX_PENDING_PER_QUEUE) this.#responses.set(requestId, note)
  }

  timeline(sinceMs: number, bucketMs: number): TimelineBucket[] {
    this.flush()
    return readTimeline(this.#db, sinceMs, bucketMs)
  }

  servedShares(sinceMs: number): ServedShare[] {
    this.flush()
    return readServedShares(this.#db, sinceMs)
  }

  totals(): StoreTotals {
    this.flush()
    return readTotals(this.#db)
  }

  saveDocument(key: string, value: unknown): void {
    this.#documents.set(key, JSON.stringify(value))
  }

  loadDocument(key: string): unknown {
    this.flush()
    const row = this.#db.prepare('SELECT value FROM kv WHERE key = ?').get(key) as
      | { value: string }
      | undefined
    return row === undefined ? null : JSON.parse(row.value)
  }

  /** Writes the queues; on failure they are kept (bounded) and retried, and `health` says why. */
  flush(): void {
    if (this.#pendingWrites() === 0 && this.#arms === null) return
    try {
      writeBatch(this.#db, {
        requests: this.#requests,
        usage: [...this.#usage.values()],
        arms: this.#arms,
        documents: this.#documents,
        responses: this.#responses,
      })
      this.#requests = []
      this.#queuedById.clear()
      this.#responses.clear()
      this.#usage.clear()
      this.#arms = null
      this.#documents.clear()
      if (this.#nowMs() - this.#lastPruneMs > 3_600_000) this.#prune()
    } catch (error) {
      this.#failedSince += 1
      this.#retryAtMs = this.#nowMs() + Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** this.#failedSince)
      this.#dropBeyondLimit()
      this.#problems.failed(error, this.#pendingWrites())
      return
    }
    this.#failedSince = 0
    this.#retryAtMs = 0
    this.#problems.succeeded()
  }

  health(): StoreHealth {
    const problem = this.#problems.problem
    return {
      backend: 'sqlite',
      state: problem === null ? 'ok' : 'degraded',
      problem,
      pendingWrites: this.#pendingWrites(),
      droppedWrites: this.#droppedWrites,
    }
  }

  #pendingWrites(): number {
    return this.#requests.length + this.#usage.size + this.#documents.size + this.#responses.size
  }

  /** A disk that stays full must not turn the queues into a memory leak: the oldest writes go first. */
  #dropBeyondLimit(): void {
    const excess = this.#requests.length - MAX_PENDING_PER_QUEUE
    if (excess > 0) {
      for (const dropped of this.#requests.splice(0, excess))
        if (dropped.requestId !== null) this.#queuedById.delete(dropped.requestId)
      this.#droppedWrites += excess
    }
    for (const key of this.#usage.keys()) {
      if (this.#usage.size <= MAX_PENDING_PER_QUEUE) break
      this.#usage.delete(key)
      this.#droppedWrites += 1
    }
    let promptChars = 0
    for (const request of this.#requests) promptChars += request.prompt?.length ?? 0
    let dropped = 0
    while (promptChars > MAX_PENDING_PROMPT_CHARS && dropped < this.#requests.length) {
      promptChars -= this.#requests[dropped]!.prompt?.length ?? 0
      dropped++
    }
    for (const record of this.#requests.splice(0, dropped))
      if (record.requestId !== null) this.#queuedById.delete(record.requestId)
    this.#droppedWrites += dropped
  }

  #prune(): void {
    this.#lastPruneMs = this.#nowMs()
    this.#db.prepare('DELETE FROM request_log WHERE time_ms < ?').run(this.#lastPruneMs - this.#retentionMs)
  }

  close(): void {
    clearInterval(this.#timer)
    this.flush()
    try {
      this.#db.close()
    } finally {
      this.#onClose()
    }
  }
}
