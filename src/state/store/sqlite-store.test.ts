import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from './migrations.js'
import { requestRecordFixture } from './request-record-fixture.js'
import { SqliteStore } from './sqlite-store.js'
import type { RequestRecord } from './types.js'

const DAY = '2026-11-25'
const NOW = Date.parse(`${DAY}T12:00:00Z`)

const record = (overrides: Partial<RequestRecord> = {}): RequestRecord =>
  requestRecordFixture({ timeMs: NOW, ...overrides })

describe('SqliteStore', () => {
  it('keeps usage counters, learning and the request log across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    const first = new SqliteStore({ dataDir: dir, nowMs: () => NOW })
    first.addUsage({
      day: DAY,
      provider: 'groq',
      model: 'm',
      keyIndex: 0,
      requests: 3,
      tokensIn: 300,
      tokensOut: 30,
      tokensCached: 256,
    })
    first.addUsage({
      day: DAY,
      provider: 'groq',
      model: 'm',
      keyIndex: 0,
      requests: 2,
      tokensIn: 200,
      tokensOut: 20,
      tokensCached: 0,
    })
    first.saveArms([{ task: 'code', provider: 'groq', model: 'm', pulls: 7, rewardSum: 5.5 }])
    first.recordRequest(record())
    first.close()
    const second = new SqliteStore({ dataDir: dir, nowMs: () => NOW })
    expect(second.loadUsage(DAY)).toEqual([
      {
        day: DAY,
        provider: 'groq',
        model: 'm',
        keyIndex: 0,
        requests: 5,
        tokensIn: 500,
        tokensOut: 50,
        tokensCached: 256,
      },
    ])
    expect(second.promptCache(DAY)).toEqual([{ provider: 'groq', promptTokens: 500, cachedTokens: 256 }])
    expect(second.loadArms()).toEqual([
      { task: 'code', provider: 'groq', model: 'm', pulls: 7, rewardSum: 5.5 },
    ])
    expect(second.recentRequests(5)).toEqual([{ ...record(), id: 1 }])
    expect(second.dailySavings('2026-11-01')).toEqual([
      { day: DAY, requests: 1, freeTokensIn: 100, freeTokensOut: 50, costUsd: 0, savedUsd: 0.00075 },
    ])
    second.close()
  })

  it('creates its file readable by the owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    const store = new SqliteStore({ dataDir: join(dir, 'data'), nowMs: () => NOW })
    expect(statSync(store.path).mode & 0o077).toBe(0)
    expect(statSync(join(dir, 'data')).mode & 0o077).toBe(0)
    store.close()
  })

  it('upgrades a database written by an older schema in place', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    const old = new Database(join(dir, 'smartsplit.db'))
    old.exec(MIGRATIONS[0]!)
    old.pragma('user_version = 1')
    old
      .prepare(
        `INSERT INTO request_log (time_ms, route, mode, tasks, providers_tried, provider, model, tokens_in, tokens_out, tokens_estimated, latency_ms, outcome, cost_usd, saved_usd)
       VALUES (?, 'respond', 'economy', '["math"]', '[]', 'cerebras', 'x', 10, 5, 0, 90, 'ok', 0, 0.01)`,
      )
      .run(NOW)
    old.close()
    const store = new SqliteStore({ dataDir: dir, nowMs: () => NOW })
    const [row] = store.recentRequests(1)
    expect(row).toMatchObject({
      mode: 'economy',
      tasks: ['math'],
      firstTokenMs: null,
      status: null,
      attempts: [],
    })
    store.recordRequest(record({ firstTokenMs: 12 }))
    expect(store.recentRequests(1)[0]!.firstTokenMs).toBe(12)
    store.close()
    const check = new Database(join(dir, 'smartsplit.db'))
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    check.close()
  })

  it('adds the response to a queued or written request, and reads on from an id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    const store = new SqliteStore({ dataDir: dir, nowMs: () => NOW })
    store.recordRequest(record({ requestId: 'req_a' }))
    store.noteResponse('req_a', { status: 200, client: 'openai-node/6' })
    store.recordRequest(record({ requestId: 'req_b', outcome: 'error', provider: null }))
    store.flush()
    store.noteResponse('req_b', { status: 503, client: null })
    const [newest, oldest] = store.recentRequests(2)
    expect(oldest).toMatchObject({ id: 1, requestId: 'req_a', status: 200, client: 'openai-node/6' })
    expect(newest).toMatchObject({ id: 2, requestId: 'req_b', status: 503, client: null })
    expect(store.requestsAfter(1, 10).map((r) => r.requestId)).toEqual(['req_b'])
    expect(store.requestsAfter(2, 10)).toEqual([])
    store.close()
  })

  it('sums the log into time buckets and served shares', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    const store = new SqliteStore({ dataDir: dir, nowMs: () => NOW })
    const failover = [
      { provider: 'groq', model: 'm', keyIndex: 0, outcome: 'rate_limit', latencyMs: 5 },
      { provider: 'gemini', model: 'g', keyIndex: 0, outcome: 'ok', latencyMs: 50 },
    ]
    store.recordRequest(record({ timeMs: NOW - 90_000 }))
    store.recordRequest(record({ timeMs: NOW - 30_000, attempts: failover, provider: 'gemini', model: 'g' }))
    store.recordRequest(record({ timeMs: NOW - 20_000, outcome: 'error', provider: null, model: null }))
    store.recordRequest(record({ timeMs: NOW - 10_000, costUsd: 0.01, tasks: ['code', 'translation'] }))
    store.recordRequest(record({ timeMs: NOW - 5 * 3_600_000 }))
    expect(store.timeline(NOW - 3_600_000, 60_000)).toEqual([
      expect.objectContaining({ startMs: NOW - 120_000, requests: 1, errors: 0, failovers: 0 }),
      expect.objectContaining({ startMs: NOW - 60_000, requests: 3, errors: 1, failovers: 1, paid: 1 }),
    ])
    const shares = store.servedShares(NOW - 3_600_000)
    expect(shares).toContainEqual({
      task: 'code',
      provider: 'gemini',
      model: 'g',
      route: 'respond',
      isSplit: false,
      requests: 1,
    })
    expect(shares.find((share) => share.isSplit)).toMatchObject({ task: 'code', requests: 1 })
    expect(shares.reduce((sum, share) => sum + share.requests, 0)).toBe(4)
    store.close()
  })

  it('sums usage written by two processes sharing the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    const a = new SqliteStore({ dataDir: dir, nowMs: () => NOW })
    const b = new SqliteStore({ dataDir: dir, nowMs: () => NOW })
    for (let i = 0; i < 50; i++) {
      a.addUsage({
        day: DAY,
        provider: 'groq',
        model: 'm',
        keyIndex: 0,
        requests: 1,
        tokensIn: 10,
        tokensOut: 1,
        tokensCached: 0,
      })
      b.addUsage({
        day: DAY,
        provider: 'groq',
        model: 'm',
        keyIndex: 0,
        requests: 1,
        tokensIn: 10,
        tokensOut: 1,
        tokensCached: 0,
      })
      if (i % 10 === 0) {
        a.flush()
        b.flush()
      }
    }
    a.close()
    b.close()
    const reader = new SqliteStore({ dataDir: dir, nowMs: () => NOW })
    expect(reader.loadUsage(DAY)[0]).toMatchObject({ requests: 100, tokensIn: 1000 })
    reader.close()
  })

  it('drops request-log rows past the retention period', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    const store = new SqliteStore({ dataDir: dir, nowMs: () => NOW, retentionDays: 30 })
    store.recordRequest(record({ timeMs: NOW - 40 * 86_400_000 }))
    store.recordRequest(record())
    store.close()
    const reopened = new SqliteStore({ dataDir: dir, nowMs: () => NOW, retentionDays: 30 })
    expect(reopened.recentRequests(10)).toHaveLength(1)
    reopened.close()
  })

  it('survives a full disk: keeps the batch, warns once per kind, says so in health, and catches up', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    let nowMs = NOW
    let db: Database.Database | undefined
    const warnings: string[] = []
    const store = new SqliteStore({
      dataDir: dir,
      nowMs: () => nowMs,
      warn: (message) => warnings.push(message),
      // A database that may not grow: SQLite answers SQLITE_FULL, as it does on a full disk.
      openDatabase: (path) => (db = new Database(path)),
    })
    db!.pragma(`max_page_count = ${db!.pragma('page_count', { simple: true })}`)
    const bulky = (i: number) => record({ timeMs: NOW + i, prompt: 'p'.repeat(20_000) })
    for (let i = 0; i < 5; i++) store.recordRequest(bulky(i))
    expect(() => store.flush()).not.toThrow()
    expect(store.health()).toMatchObject({ backend: 'sqlite', state: 'degraded', pendingWrites: 5 })
    expect(store.health().problem).toMatch(/SQLITE_FULL/)
    store.recordRequest(bulky(5))
    store.flush()
    nowMs += 59_000
    store.flush()
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /storage write failed \(SQLITE_FULL: database or disk is full\); 5 writes kept/,
    )

    db!.pragma('max_page_count = 1073741823')
    store.flush()
    expect(store.health()).toMatchObject({ state: 'ok', problem: null, pendingWrites: 0 })
    expect(store.recentRequests(10)).toHaveLength(6)
    expect(warnings.at(-1)).toMatch(/succeed again/)
    store.close()
  })

  it('keeps at most 10 000 writes per queue while the disk stays full, dropping the oldest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    let db: Database.Database | undefined
    const store = new SqliteStore({
      dataDir: dir,
      nowMs: () => NOW,
      openDatabase: (path) => (db = new Database(path)),
    })
    db!.pragma(`max_page_count = ${db!.pragma('page_count', { simple: true })}`)
    for (let i = 0; i < 10_050; i++) store.recordRequest(record({ timeMs: NOW + i }))
    store.flush()
    expect(store.health()).toMatchObject({ state: 'degraded', pendingWrites: 10_000, droppedWrites: 50 })
    db!.pragma('max_page_count = 1073741823')
    store.flush()
    expect(store.recentRequests(1)[0]!.timeMs).toBe(NOW + 10_049)
    store.close()
  })

  it('keeps at most 64 Mi characters of logged prompts while the disk stays full', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    let db: Database.Database | undefined
    const store = new SqliteStore({
      dataDir: dir,
      nowMs: () => NOW,
      openDatabase: (path) => (db = new Database(path)),
    })
    db!.pragma(`max_page_count = ${db!.pragma('page_count', { simple: true })}`)
    const prompt = 'p'.repeat(8 * 1024 * 1024)
    for (let i = 0; i < 10; i++) store.recordRequest(record({ timeMs: NOW + i, prompt }))
    store.flush()
    expect(store.health()).toMatchObject({ state: 'degraded', pendingWrites: 8, droppedWrites: 2 })
    store.close()
  })

  it('keeps all-time totals past the retention of the request log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'store-'))
    const store = new SqliteStore({ dataDir: dir, nowMs: () => NOW, retentionDays: 30 })
    store.recordRequest(record({ timeMs: NOW - 40 * 86_400_000 }))
    store.recordRequest(record({ outcome: 'error', tokensIn: 0, tokensOut: 0, savedUsd: 0 }))
    store.close()
    const reopened = new SqliteStore({ dataDir: dir, nowMs: () => NOW, retentionDays: 30 })
    expect(reopened.recentRequests(10)).toHaveLength(1)
    expect(reopened.totals()).toMatchObject({
      sinceMs: NOW - 40 * 86_400_000,
      requests: 2,
      errors: 1,
      freeTokens: 150,
    })
    reopened.close()
  })
})
