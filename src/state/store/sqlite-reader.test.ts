import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from './migrations.js'
import { requestRecordFixture } from './request-record-fixture.js'
import { openSqliteReader } from './sqlite-reader.js'
import { SqliteStore } from './sqlite-store.js'

const NOW = Date.parse('2026-11-25T12:00:00Z')

describe('openSqliteReader (smartsplit logs)', () => {
  it('tails and reads on from an id while the store writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reader-'))
    const store = new SqliteStore({ dataDir: dir, nowMs: () => NOW })
    for (const id of ['req_1', 'req_2', 'req_3']) store.recordRequest(requestRecordFixture({ requestId: id }))
    store.flush()
    const reader = openSqliteReader(dir, MIGRATIONS.length)!
    expect(reader.recentRequests(2).map((r) => r.requestId)).toEqual(['req_3', 'req_2'])
    store.recordRequest(requestRecordFixture({ requestId: 'req_4' }))
    store.flush()
    expect(reader.requestsAfter(3, 10).map((r) => r.requestId)).toEqual(['req_4'])
    reader.close()
    store.close()
  })

  it('reads a log written before v5 without migrating it, attempts taken from the old list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'reader-'))
    const old = new Database(join(dir, 'smartsplit.db'))
    for (const step of MIGRATIONS.slice(0, 4)) old.exec(step)
    old.pragma('user_version = 4')
    old
      .prepare(
        `INSERT INTO request_log (time_ms, route, mode, tasks, providers_tried, provider, model, tokens_in, tokens_out,
           tokens_estimated, latency_ms, outcome, cost_usd, saved_usd)
         VALUES (?, 'respond', 'balanced', '["code"]', '["groq/llama=rate_limit","cerebras/qwen=ok"]', 'cerebras', 'qwen',
           10, 5, 0, 90, 'ok', 0, 0.01)`,
      )
      .run(NOW)
    old.close()
    const reader = openSqliteReader(dir, MIGRATIONS.length)!
    const [row] = reader.recentRequests(5)
    expect(row).toMatchObject({ requestId: null, status: null, provider: 'cerebras' })
    expect(row!.attempts.map((a) => `${a.provider}/${a.model}=${a.outcome}`)).toEqual([
      'groq/llama=rate_limit',
      'cerebras/qwen=ok',
    ])
    expect(reader.schemaVersion).toBe(4)
    reader.close()
  })
})
