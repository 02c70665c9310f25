import type Database from 'better-sqlite3'
import { z } from 'zod'
import type { RequestRecord, StoreTotals } from './types.js'

/** Kept in the kv table, updated in the same transaction as the request log it sums. */
const TOTALS_KEY = 'all-time-totals'

const totalsSchema = z.object({
  sinceMs: z.number().finite().nullable(),
  requests: z.number().finite(),
  errors: z.number().finite(),
  freeTokens: z.number().finite(),
  costUsd: z.number().finite(),
  savedUsd: z.number().finite(),
})

/** What the request log holds: the start for a database written before totals were kept. */
function sumOfLog(db: Database.Database): StoreTotals {
  const row = db
    .prepare(
      `SELECT MIN(time_ms) AS sinceMs, COUNT(*) AS requests, COALESCE(SUM(outcome != 'ok'), 0) AS errors,
              COALESCE(SUM(CASE WHEN cost_usd = 0 THEN tokens_in + tokens_out ELSE 0 END), 0) AS freeTokens,
              COALESCE(SUM(cost_usd), 0) AS costUsd, COALESCE(SUM(saved_usd), 0) AS savedUsd
       FROM request_log`,
    )
    .get() as StoreTotals
  return { ...row, sinceMs: row.sinceMs ?? null }
}

/** The totals of every request ever recorded in this database, pruned ones included. */
export function readTotals(db: Database.Database): StoreTotals {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(TOTALS_KEY) as
    | { value: string }
    | undefined
  if (row === undefined) return sumOfLog(db)
  try {
    return totalsSchema.parse(JSON.parse(row.value))
  } catch {
    return sumOfLog(db) // hand-edited or damaged: the log is the next best truth
  }
}

/** Adds requests about to be logged; call inside the transaction that inserts them, before inserting. */
export function addToTotals(db: Database.Database, requests: readonly RequestRecord[]): void {
  if (requests.length === 0) return
  const totals = readTotals(db)
  for (const r of requests) {
    totals.sinceMs = totals.sinceMs === null ? r.timeMs : Math.min(totals.sinceMs, r.timeMs)
    totals.requests += 1
    if (r.outcome !== 'ok') totals.errors += 1
    if (r.costUsd === 0) totals.freeTokens += r.tokensIn + r.tokensOut
    totals.costUsd += r.costUsd
    totals.savedUsd += r.savedUsd
  }
  db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(TOTALS_KEY, JSON.stringify(totals))
}
