import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { MIGRATIONS } from './migrations.js'
import type { ArmRecord, DailySavings, RequestRecord, Store, UsageDelta, UsageRow } from './types.js'

export interface SqliteStoreOptions {
  dataDir: string
  nowMs: () => number
  retentionDays?: number
  /** How often queued writes are committed; a slow disk never slows a response. */
  flushIntervalMs?: number
}

const DAY_MS = 86_400_000

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number
  for (let step = version; step < MIGRATIONS.length; step++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[step]!)
      db.pragma(`user_version = ${step + 1}`)
    })()
  }
}

/** The embedded default store: one SQLite file in the data dir, owner-only, WAL so readers never block. */
export class SqliteStore implements Store {
  readonly path: string
  readonly #db: Database.Database
  readonly #nowMs: () => number
  readonly #retentionMs: number
  readonly #timer: NodeJS.Timeout
  #requests: RequestRecord[] = []
  #usage: UsageDelta[] = []
  #arms: readonly ArmRecord[] | null = null
  readonly #documents = new Map<string, string>()
  #lastPruneMs = 0

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
    this.path = join(options.dataDir, 'smartsplit.db')
    const isNew = !existsSync(this.path)
    this.#db = new Database(this.path)
    if (isNew) chmodSync(this.path, 0o600)
    this.#db.pragma('journal_mode = WAL')
    this.#db.pragma('busy_timeout = 5000')
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(this.path + suffix)) chmodSync(this.path + suffix, 0o600)
    migrate(this.#db)
    this.#nowMs = options.nowMs
    this.#retentionMs = (options.retentionDays ?? 30) * DAY_MS
    this.#prune()
    this.#timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 1000)
    this.#timer.unref()
  }

  recordRequest(record: RequestRecord): void {
    this.#requests.push(record)
  }

  addUsage(delta: UsageDelta): void {
    this.#usage.push(delta)
  }

  saveArms(arms: readonly ArmRecord[]): void {
    this.#arms = arms
  }

  loadUsage(day: string): UsageRow[] {
    this.flush()
    return this.#db
      .prepare(
        'SELECT day, provider, model, key_index AS keyIndex, requests, tokens_in AS tokensIn, tokens_out AS tokensOut FROM usage WHERE day = ?',
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

  recentRequests(limit: number): RequestRecord[] {
    this.flush()
    const rows = this.#db
      .prepare('SELECT * FROM request_log ORDER BY time_ms DESC, id DESC LIMIT ?')
      .all(limit) as Record<string, unknown>[]
    return rows.map((row) => ({
      timeMs: row.time_ms as number,
      route: row.route as RequestRecord['route'],
      mode: row.mode as string,
      tasks: JSON.parse(row.tasks as string) as string[],
      providersTried: JSON.parse(row.providers_tried as string) as string[],
      provider: row.provider as string | null,
      model: row.model as string | null,
      tokensIn: row.tokens_in as number,
      tokensOut: row.tokens_out as number,
      tokensEstimated: row.tokens_estimated === 1,
      latencyMs: row.latency_ms as number,
      firstTokenMs: row.first_token_ms as number | null,
      outcome: row.outcome as string,
      costUsd: row.cost_usd as number,
      savedUsd: row.saved_usd as number,
      prompt: row.prompt as string | null,
    }))
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

  flush(): void {
    if (
      this.#requests.length === 0 &&
      this.#usage.length === 0 &&
      this.#arms === null &&
      this.#documents.size === 0
    )
      return
    const documents = [...this.#documents]
    this.#documents.clear()
    const requests = this.#requests
    const usage = this.#usage
    const arms = this.#arms
    this.#requests = []
    this.#usage = []
    this.#arms = null
    const insertRequest = this.#db.prepare(
      `INSERT INTO request_log (time_ms, route, mode, tasks, providers_tried, provider, model, tokens_in, tokens_out,
         tokens_estimated, latency_ms, first_token_ms, outcome, cost_usd, saved_usd, prompt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const upsertUsage = this.#db.prepare(
      `INSERT INTO usage (day, provider, model, key_index, requests, tokens_in, tokens_out) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (day, provider, model, key_index) DO UPDATE SET requests = requests + excluded.requests,
         tokens_in = tokens_in + excluded.tokens_in, tokens_out = tokens_out + excluded.tokens_out`,
    )
    const upsertArm = this.#db.prepare(
      `INSERT INTO arms (task, provider, model, pulls, reward_sum, reward_square_sum) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (task, provider, model) DO UPDATE SET pulls = excluded.pulls, reward_sum = excluded.reward_sum,
         reward_square_sum = excluded.reward_square_sum`,
    )
    this.#db.transaction(() => {
      for (const r of requests) {
        insertRequest.run(
          r.timeMs,
          r.route,
          r.mode,
          JSON.stringify(r.tasks),
          JSON.stringify(r.providersTried),
          r.provider,
          r.model,
          r.tokensIn,
          r.tokensOut,
          r.tokensEstimated ? 1 : 0,
          Math.round(r.latencyMs),
          r.firstTokenMs === null ? null : Math.round(r.firstTokenMs),
          r.outcome,
          r.costUsd,
          r.savedUsd,
          r.prompt,
        )
      }
      for (const u of usage)
        upsertUsage.run(u.day, u.provider, u.model, u.keyIndex, u.requests, u.tokensIn, u.tokensOut)
      for (const a of arms ?? [])
        upsertArm.run(a.task, a.provider, a.model, a.pulls, a.rewardSum, a.rewardSquareSum ?? null)
      const upsertDocument = this.#db.prepare(
        'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      )
      for (const [key, value] of documents) upsertDocument.run(key, value)
    })()
    if (this.#nowMs() - this.#lastPruneMs > 3_600_000) this.#prune()
  }

  #prune(): void {
    this.#lastPruneMs = this.#nowMs()
    this.#db.prepare('DELETE FROM request_log WHERE time_ms < ?').run(this.#lastPruneMs - this.#retentionMs)
  }

  close(): void {
    clearInterval(this.#timer)
    this.flush()
    this.#db.close()
  }
}
