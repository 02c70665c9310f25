import { chmodSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { readRecentRequests, readRequestsAfter } from './request-log-queries.js'
import { LEGACY_REQUEST_COLUMNS, REQUEST_COLUMNS } from './request-row.js'
import type { DailySavings, StoredRequest, UsageRow } from './types.js'

// A read-only view of the SQLite store for `smartsplit stats`, safe while the server runs: the store is
// in WAL mode, so this reader sees every committed batch and never blocks the server's writer. It never
// migrates, prunes or writes; a database from a newer SmartSplit is refused rather than misread.

export const DATABASE_FILE = 'smartsplit.db'

export interface SqliteReader {
  readonly path: string
  readonly schemaVersion: number
  /** Usage rows (per quota day, provider, model and key) from `sinceDay` on. */
  usageSince(sinceDay: string): UsageRow[]
  /** Requests and savings per UTC day from `sinceDay` on, as GET /savings reports them. */
  dailySavings(sinceDay: string): DailySavings[]
  /** The newest `limit` requests of the log, newest first (what `smartsplit logs` tails). */
  recentRequests(limit: number): StoredRequest[]
  /** Requests recorded after the one with `afterId`, oldest first (`smartsplit logs -f`). */
  requestsAfter(afterId: number, limit: number): StoredRequest[]
  close(): void
}

/** Null when the data dir holds no database yet (SmartSplit has never run with it). */
export function openSqliteReader(dataDir: string, knownVersion: number): SqliteReader | null {
  const path = join(dataDir, DATABASE_FILE)
  if (!existsSync(path)) return null
  const db = new Database(path, { readonly: true, fileMustExist: true })
  db.pragma('busy_timeout = 5000')
  // A reader of a WAL database may create the -wal/-shm files when no server has them open: keep them
  // owner-only like the store does.
  for (const suffix of ['-wal', '-shm']) {
    try {
      if (existsSync(path + suffix)) chmodSync(path + suffix, 0o600)
    } catch {
      // another user's files (a shared data dir): leave them as they are
    }
  }
  const schemaVersion = db.pragma('user_version', { simple: true }) as number
  if (schemaVersion > knownVersion) {
    db.close()
    throw new Error(
      `${path} was written by a newer SmartSplit (schema v${schemaVersion}, this one reads up to v${knownVersion})`,
    )
  }
  const hasTable = (name: string): boolean =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
  const hasUsage = hasTable('usage')
  // Written before schema v5 (no cache counts): read as none cached.
  const cachedColumn =
    hasUsage &&
    (db.prepare('SELECT name FROM pragma_table_info(?)').all('usage') as { name: string }[]).some(
      (column) => column.name === 'tokens_cached',
    )
      ? 'tokens_cached'
      : '0'
  const hasLog = hasTable('request_log')
  const hasV5Columns =
    hasLog &&
    (db.prepare('PRAGMA table_info(request_log)').all() as { name: string }[]).some(
      (column) => column.name === 'request_id',
    )
  const columns = hasV5Columns ? REQUEST_COLUMNS : LEGACY_REQUEST_COLUMNS
  return {
    path,
    schemaVersion,
    usageSince(sinceDay) {
      if (!hasUsage) return []
      return db
        .prepare(
          `SELECT day, provider, model, key_index AS keyIndex, requests, tokens_in AS tokensIn, tokens_out AS tokensOut,
                  ${cachedColumn} AS tokensCached
           FROM usage WHERE day >= ? ORDER BY day, provider, model, key_index`,
        )
        .all(sinceDay) as UsageRow[]
    },
    dailySavings(sinceDay) {
      if (!hasLog) return []
      return db
        .prepare(
          `SELECT strftime('%Y-%m-%d', time_ms / 1000, 'unixepoch') AS day, COUNT(*) AS requests,
                  SUM(CASE WHEN cost_usd = 0 THEN tokens_in ELSE 0 END) AS freeTokensIn,
                  SUM(CASE WHEN cost_usd = 0 THEN tokens_out ELSE 0 END) AS freeTokensOut,
                  SUM(cost_usd) AS costUsd, SUM(saved_usd) AS savedUsd
           FROM request_log WHERE time_ms >= ? GROUP BY day ORDER BY day`,
        )
        .all(Date.parse(`${sinceDay}T00:00:00Z`)) as DailySavings[]
    },
    recentRequests: (limit) => (hasLog ? readRecentRequests(db, limit, columns) : []),
    requestsAfter: (afterId, limit) => (hasLog ? readRequestsAfter(db, afterId, limit, columns) : []),
    close() {
      db.close()
    },
  }
}
