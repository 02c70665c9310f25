import type Database from 'better-sqlite3'
import { REQUEST_COLUMNS, toStoredRequest } from './request-row.js'
import type { ServedShare, StoredRequest, TimelineBucket } from './types.js'

// The request log's reads, shared by the store and the read-only reader of `smartsplit logs`.

/** `columns`: REQUEST_COLUMNS, or LEGACY_REQUEST_COLUMNS for a database a reader may not migrate. */
export function readRecentRequests(
  db: Database.Database,
  limit: number,
  columns = REQUEST_COLUMNS,
): StoredRequest[] {
  const rows = db.prepare(`SELECT ${columns} FROM request_log ORDER BY id DESC LIMIT ?`).all(limit) as Record<
    string,
    unknown
  >[]
  return rows.map(toStoredRequest)
}

export function readRequestsAfter(
  db: Database.Database,
  afterId: number,
  limit: number,
  columns = REQUEST_COLUMNS,
): StoredRequest[] {
  const rows = db
    .prepare(`SELECT ${columns} FROM request_log WHERE id > ? ORDER BY id LIMIT ?`)
    .all(afterId, limit) as Record<string, unknown>[]
  return rows.map(toStoredRequest)
}

export function readTimeline(db: Database.Database, sinceMs: number, bucketMs: number): TimelineBucket[] {
  const size = Math.max(1, Math.floor(bucketMs))
  return db
    .prepare(
      `SELECT (time_ms / ${size}) * ${size} AS startMs, COUNT(*) AS requests,
              SUM(outcome != 'ok') AS errors, SUM(outcome = 'ok' AND failed_attempts > 0) AS failovers,
              SUM(tokens_in) AS tokensIn, SUM(tokens_out) AS tokensOut, SUM(cost_usd > 0) AS paid,
              SUM(saved_usd) AS savedUsd
       FROM request_log WHERE time_ms >= ? GROUP BY startMs ORDER BY startMs`,
    )
    .all(Math.floor(sinceMs)) as TimelineBucket[]
}

export function readServedShares(db: Database.Database, sinceMs: number): ServedShare[] {
  const rows = db
    .prepare(
      `SELECT tasks, route, provider, model, COUNT(*) AS requests FROM request_log
       WHERE time_ms >= ? GROUP BY tasks, route, provider, model`,
    )
    .all(Math.floor(sinceMs)) as {
    tasks: string
    route: ServedShare['route']
    provider: string | null
    model: string | null
    requests: number
  }[]
  return rows.map((row) => {
    let tasks: unknown
    try {
      tasks = JSON.parse(row.tasks)
    } catch {
      tasks = []
    }
    const list = Array.isArray(tasks) ? tasks.map(String) : []
    return {
      task: list[0] ?? 'general',
      provider: row.provider,
      model: row.model,
      route: row.route,
      isSplit: list.length > 1,
      requests: row.requests,
    }
  })
}
