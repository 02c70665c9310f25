import type Database from 'better-sqlite3'
import { addToTotals } from './all-time-totals.js'
import { failedAttempts } from './failed-attempts.js'
import type { ArmRecord, RequestRecord, ResponseNote, UsageDelta } from './types.js'

/** Everything queued since the last successful write. */
export interface WriteBatch {
  requests: readonly RequestRecord[]
  usage: readonly UsageDelta[]
  arms: readonly ArmRecord[] | null
  documents: ReadonlyMap<string, string>
  /** Responses of requests written in an earlier batch, by request id. */
  responses: ReadonlyMap<string, ResponseNote>
}

/** Writes a batch in one transaction: all of it, or (on a full disk, say) nothing. */
export function writeBatch(db: Database.Database, batch: WriteBatch): void {
  const insertRequest = db.prepare(
    `INSERT INTO request_log (time_ms, route, mode, tasks, providers_tried, provider, model, tokens_in, tokens_out,
       tokens_estimated, latency_ms, first_token_ms, outcome, cost_usd, saved_usd, prompt, request_id, endpoint,
       client, status, attempts, failed_attempts)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const updateResponse = db.prepare('UPDATE request_log SET status = ?, client = ? WHERE request_id = ?')
  const upsertUsage = db.prepare(
    `INSERT INTO usage (day, provider, model, key_index, requests, tokens_in, tokens_out, tokens_cached)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (day, provider, model, key_index) DO UPDATE SET requests = requests + excluded.requests,
       tokens_in = tokens_in + excluded.tokens_in, tokens_out = tokens_out + excluded.tokens_out,
       tokens_cached = tokens_cached + excluded.tokens_cached`,
  )
  const upsertArm = db.prepare(
    `INSERT INTO arms (task, provider, model, pulls, reward_sum, reward_square_sum) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (task, provider, model) DO UPDATE SET pulls = excluded.pulls, reward_sum = excluded.reward_sum,
       reward_square_sum = excluded.reward_square_sum`,
  )
  const upsertDocument = db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  )
  db.transaction(() => {
    addToTotals(db, batch.requests)
    for (const r of batch.requests) {
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
        r.requestId,
        r.endpoint,
        r.client,
        r.status,
        JSON.stringify(r.attempts),
        failedAttempts(r.attempts),
      )
    }
    for (const [requestId, note] of batch.responses) updateResponse.run(note.status, note.client, requestId)
    for (const u of batch.usage)
      upsertUsage.run(
        u.day,
        u.provider,
        u.model,
        u.keyIndex,
        u.requests,
        u.tokensIn,
        u.tokensOut,
        u.tokensCached,
      )
    for (const a of batch.arms ?? [])
      upsertArm.run(a.task, a.provider, a.model, a.pulls, a.rewardSum, a.rewardSquareSum ?? null)
    for (const [key, value] of batch.documents) upsertDocument.run(key, value)
  })()
}
