import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/lib/clock.js'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 15 item 4: durations an upstream states are finite and capped whatever it sends. A 429 with
// `retry-after` of 400 nines answered the client `retry-after: Infinity`, saved the cooldown as
// `untilMs: null`, and every later start failed on the saved counters; 99999999999 kept the key cooling
// down until the year 5195. A cooldown lasts at most 24 h, a daily-quota block at most until the next
// reset + 1 h, the client's Retry-After is a finite number of seconds, and saved counters that fail
// validation are discarded with a warning, never a failed start.

const HOUR_MS = 3_600_000
const KEY = 'gsk_only_key_00000000001'
const START_MS = Date.UTC(2026, 0, 14, 12)

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close()
})

const rateLimited = (headers: Record<string, string>): FakeBehavior => ({
  kind: 'error',
  status: 429,
  headers,
  body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
})

const absurd: [string, Record<string, string>][] = [
  ['retry-after of 400 nines', { 'retry-after': '9'.repeat(400) }],
  ['retry-after of 99999999999 seconds', { 'retry-after': '99999999999' }],
  ['retry-after-ms of 400 nines', { 'retry-after-ms': '9'.repeat(400) }],
  ['retry-after in the year 9999', { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' }],
  [
    'a reset of 99999999999 hours',
    { 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '99999999999h' },
  ],
  [
    'an epoch reset in the far future',
    { 'x-ratelimit-limit': '20', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '9'.repeat(40) },
  ],
]

async function post(smartsplit: RunningSmartSplit, stream: boolean) {
  const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', stream, messages: [{ role: 'user', content: 'hi' }] }),
  })
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    text: await response.text(),
  }
}

/** The latest end of any block on the one key, from /health. */
async function blockedUntilMs(smartsplit: RunningSmartSplit): Promise<number | null> {
  const body = (await (await fetch(`${smartsplit.url}/health`)).json()) as {
    state: { models: { keys: { untilMs: number | null }[] }[] }[]
  }
  const ends = body.state.flatMap((p) => p.models.flatMap((m) => m.keys.map((k) => k.untilMs)))
  return ends.reduce<number | null>(
    (latest, end) => (end !== null && (latest === null || end > latest) ? end : latest),
    null,
  )
}

async function stop(smartsplit: RunningSmartSplit): Promise<void> {
  running.splice(running.indexOf(smartsplit), 1)
  await smartsplit.close()
}

async function start(dataDir: string, clock: ManualClock, baseUrl: string): Promise<RunningSmartSplit> {
  const smartsplit = await startSmartSplit(
    {
      data_dir: dataDir,
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: baseUrl, api_key: KEY } },
    },
    { clock },
  )
  running.push(smartsplit)
  return smartsplit
}

describe.each([false, true])('an absurd wait from an upstream (stream: %s)', (stream) => {
  it.each(absurd)(
    '%s: a finite Retry-After, a cooldown of at most 24 h, and a clean restart',
    async (_, headers) => {
      const clock = new ManualClock(START_MS)
      const fake = await startFakeOpenAI({ apiKey: KEY })
      running.push(fake)
      fake.queue.push(rateLimited(headers))
      const dataDir = mkdtempSync(join(tmpdir(), 'smartsplit-durations-'))
      const before = await start(dataDir, clock, fake.url)

      const answer = await post(before, stream)
      expect(answer.status, answer.text).toBe(429)
      const seconds = Number(answer.retryAfter)
      expect(Number.isInteger(seconds), `retry-after: ${answer.retryAfter}`).toBe(true)
      expect(seconds).toBeGreaterThanOrEqual(1)
      expect(seconds).toBeLessThanOrEqual(26 * 3600)
      const untilMs = await blockedUntilMs(before)
      expect(untilMs).not.toBeNull()
      expect(untilMs!).toBeLessThanOrEqual(START_MS + 24 * HOUR_MS)
      await stop(before)

      const after = await start(dataDir, clock, fake.url)
      expect(await blockedUntilMs(after)).toBe(untilMs)
      clock.advance(24 * HOUR_MS)
      expect((await post(after, stream)).status).toBe(200)
    },
  )
})

// A wait in the past or below zero is a wait of 1 s, in the Retry-After header and in the message alike.
const nowOrPast: [string, Record<string, string>][] = [
  ['retry-after of -5', { 'retry-after': '-5' }],
  ['retry-after in 1970', { 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' }],
  ['retry-after of 0', { 'retry-after': '0' }],
]

describe.each([false, true])('a wait of nothing from an upstream (stream: %s)', (stream) => {
  it.each(nowOrPast)('%s: header and message both say 1 s', async (_, headers) => {
    const fake = await startFakeOpenAI({ apiKey: KEY })
    running.push(fake)
    fake.queue.push(rateLimited(headers))
    const smartsplit = await start(
      mkdtempSync(join(tmpdir(), 'smartsplit-durations-')),
      new ManualClock(START_MS),
      fake.url,
    )
    const answer = await post(smartsplit, stream)
    expect(answer.status, answer.text).toBe(429)
    expect(answer.retryAfter).toBe('1')
    expect(answer.text).toContain('retry after 1 s')
  })
})

describe('saved counters that fail validation', () => {
  it.each([
    [
      'a cooldown saved as untilMs: null',
      (doc: Record<string, unknown>) => ({ ...doc, blocks: [{ untilMs: null }] }),
    ],
    ['another version', (doc: Record<string, unknown>) => ({ ...doc, version: 99 })],
    ['not JSON', () => '{"version":1,'],
  ])('%s: discarded with a warning, and SmartSplit starts', async (_, corrupt) => {
    const clock = new ManualClock(START_MS)
    const fake = await startFakeOpenAI({ apiKey: KEY })
    running.push(fake)
    const dataDir = mkdtempSync(join(tmpdir(), 'smartsplit-durations-'))
    const before = await start(dataDir, clock, fake.url)
    expect((await post(before, false)).status).toBe(200)
    await stop(before)

    const db = new Database(join(dataDir, 'smartsplit.db'))
    const row = db.prepare("SELECT value FROM kv WHERE key = 'rate-limit-counters'").get() as {
      value: string
    }
    const replaced = corrupt(JSON.parse(row.value) as Record<string, unknown>)
    const value = typeof replaced === 'string' ? replaced : JSON.stringify(replaced)
    db.prepare("UPDATE kv SET value = ? WHERE key = 'rate-limit-counters'").run(value)
    db.close()

    const after = await start(dataDir, clock, fake.url)
    expect((await post(after, false)).status).toBe(200)
    expect(after.logs.join('')).toMatch(/saved rate-limit counters .*discarded/)
  })
})
