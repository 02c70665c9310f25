import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from './memory-store.js'
import { requestRecordFixture } from './request-record-fixture.js'
import { SqliteStore } from './sqlite-store.js'
import type { RequestRecord } from './types.js'

const DAY_MS = 86_400_000
const START = Date.parse('2026-11-01T12:00:00Z')

const record = (timeMs: number, costUsd = 0): RequestRecord =>
  requestRecordFixture({ timeMs, costUsd, savedUsd: 0.001 })

describe('MemoryStore', () => {
  it('keeps daily totals exact while holding only the last 1 000 requests', () => {
    const store = new MemoryStore()
    for (let i = 0; i < 5_000; i++) store.recordRequest(record(START + i, i % 10 === 0 ? 0.01 : 0))
    const [day] = store.dailySavings('2026-11-01')
    expect(day).toMatchObject({
      day: '2026-11-01',
      requests: 5_000,
      freeTokensIn: 450_000,
      freeTokensOut: 225_000,
    })
    expect(day!.costUsd).toBeCloseTo(5, 9)
    expect(day!.savedUsd).toBeCloseTo(5, 9)
    const recent = store.recentRequests(5_000)
    expect(recent).toHaveLength(1_000)
    expect(recent[0]!.timeMs).toBe(START + 4_999)
  })

  it('keeps 30 days of totals and drops usage rows older than them', () => {
    const store = new MemoryStore()
    store.addUsage({
      day: '2026-11-01',
      provider: 'groq',
      model: 'm',
      keyIndex: 0,
      requests: 1,
      tokensIn: 1,
      tokensOut: 1,
      tokensCached: 0,
    })
    for (let d = 0; d < 40; d++) store.recordRequest(record(START + d * DAY_MS))
    const days = store.dailySavings('2000-01-01').map((row) => row.day)
    expect(days).toHaveLength(30)
    expect(days[0]).toBe('2026-11-11')
    expect(store.loadUsage('2026-11-01')).toEqual([])
  })

  it('sums time buckets and served shares as the SQLite store does, and adds responses', () => {
    const memory = new MemoryStore()
    const sqlite = new SqliteStore({ dataDir: mkdtempSync(join(tmpdir(), 'store-')), nowMs: () => START })
    const failover = [
      { provider: 'groq', model: 'm', keyIndex: 0, outcome: 'server_error', latencyMs: 5 },
      { provider: 'groq', model: 'm', keyIndex: 1, outcome: 'ok', latencyMs: 50 },
    ]
    const records = [
      requestRecordFixture({ timeMs: START - 50_000, requestId: 'req_1' }),
      requestRecordFixture({ timeMs: START - 40_000, attempts: failover, costUsd: 0.2 }),
      requestRecordFixture({ timeMs: START - 30_000, outcome: 'error', route: 'enrich' }),
      requestRecordFixture({ timeMs: START - 20_000, tasks: ['code', 'math'] }),
    ]
    for (const store of [memory, sqlite]) for (const each of records) store.recordRequest({ ...each })
    expect(memory.timeline(START - 3_600_000, 30_000)).toEqual(sqlite.timeline(START - 3_600_000, 30_000))
    const sorted = (store: MemoryStore | SqliteStore) =>
      store.servedShares(0).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
    expect(sorted(memory)).toEqual(sorted(sqlite))
    memory.noteResponse('req_1', { status: 200, client: 'curl/8' })
    expect(memory.requestsAfter(0, 1)[0]).toMatchObject({ id: 1, status: 200, client: 'curl/8' })
    sqlite.close()
  })
})
