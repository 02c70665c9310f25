import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, SKIP_WITHOUT_REDIS, startRedisServer } from '../../../test/support/redis-server.js'
import { APPLY_LUA } from './apply-script.js'
import type { SharedOp } from './shared-ops.js'

// The batch script on a real Redis (no mock), batches sent as the instances send them. Reconciliation
// after Redis lost its state: each instance seeds a counter with what it last saw of it, then sends the
// calls it made meanwhile, in whatever order the instances come back.

let redis: RedisServer
let client: Redis
let namespaces = 0
let batches = 0

beforeAll(async () => {
  if (SKIP_WITHOUT_REDIS !== null) return
  redis = await startRedisServer()
  client = new Redis(redis.url, { lazyConnect: true })
  await client.connect()
})
afterAll(async () => {
  client?.disconnect()
  await redis?.stop()
})

const BUCKET = 'gemini\u0000gemini-2.5-flash\u00000'
const nowMs = Date.now()
const second = Math.floor(nowMs / 1000)
const dayEndMs = nowMs + 3_600_000

async function apply(prefix: string, ops: SharedOp[]): Promise<void> {
  await client.eval(APPLY_LUA, 0, prefix, nowMs, `instance:${++batches}`, JSON.stringify(ops))
}

const seed = (requests: number, afterLoss: boolean): SharedOp => ({
  kind: 'seed',
  bucket: BUCKET,
  minute: [second - 5, requests, requests * 10],
  dayEndMs,
  requests,
  tokens: requests * 10,
  afterLoss,
})
const count = (requests: number): SharedOp => ({
  kind: 'count',
  bucket: BUCKET,
  second,
  dayEndMs,
  requests,
  tokens: requests * 10,
})

async function counted(prefix: string): Promise<{ day: number; dayTokens: number; minute: number }> {
  const day = await client.hgetall(`${prefix}d:${BUCKET}:${dayEndMs}`)
  const minute = await client.hgetall(`${prefix}m:${BUCKET}`)
  const requests = Object.entries(minute).filter(([field]) => field.startsWith('r'))
  return {
    day: Number(day.r ?? 0),
    dayTokens: Number(day.t ?? 0),
    minute: requests.reduce((sum, [, value]) => sum + Number(value), 0),
  }
}

describe.skipIf(SKIP_WITHOUT_REDIS !== null)('the batch script', () => {
  // Instance A made the last call before Redis died (it saw 100 counted, B saw 99). Both made calls
  // while Redis was away (A 2, B 1), and B counted one more once back, before A reconciled.
  it.each([
    ['the one that saw less', [[seed(99, true), count(1)], [count(1)], [seed(100, true), count(2)]]],
    ['the one that saw more', [[seed(100, true), count(2)], [seed(99, true), count(1)], [count(1)]]],
  ] as const)(
    'reconciles a lost counter to the most any instance saw plus every call since, %s first',
    async (_, batchesInOrder) => {
      const prefix = `apply${++namespaces}:`
      for (const ops of batchesInOrder) await apply(prefix, [...ops])
      expect(await counted(prefix)).toEqual({ day: 104, dayTokens: 1040, minute: 104 })
    },
  )

  it('only raises a counter Redis still holds to what an instance reaching it first saw', async () => {
    const prefix = `apply${++namespaces}:`
    await apply(prefix, [count(500)])
    await apply(prefix, [seed(300, false)])
    expect((await counted(prefix)).day).toBe(500)
    await apply(prefix, [seed(600, false)])
    expect((await counted(prefix)).day).toBe(600)
  })

  it('keeps the newer of two pins, however late the older one arrives', async () => {
    const prefix = `apply${++namespaces}:`
    const pin = (provider: string, atMs: number, key = 'x-session-id:abc'): SharedOp => ({
      kind: 'pin',
      key,
      pin: { provider, model: 'm', keyIndex: 0 },
      atMs,
      idleMs: 60_000,
    })
    // Every pin written is published, named by the instance that sent it, for the others to follow.
    const subscriber = new Redis(redis.url, { lazyConnect: true })
    await subscriber.connect()
    const published: string[] = []
    subscriber.on('message', (_channel: string, message: string) => published.push(message))
    await subscriber.subscribe(`${prefix}pins`)
    await apply(prefix, [pin('groq', nowMs - 1_000)])
    await apply(prefix, [pin('cerebras', nowMs - 2_000)])
    await expect.poll(() => published, { timeout: 2_000 }).toEqual([`instance\nx-session-id:abc`])
    subscriber.disconnect()
    const stored = JSON.parse((await client.get(`${prefix}pin:x-session-id:abc`)) ?? 'null')
    expect(stored).toEqual({ pin: { provider: 'groq', model: 'm', keyIndex: 0 }, atMs: nowMs - 1_000 })
    expect(await client.pttl(`${prefix}pin:x-session-id:abc`)).toBeGreaterThan(55_000)
    // Set longer ago than the idle time: already forgotten, never written.
    await apply(prefix, [pin('mistral', nowMs - 61_000, 'x-session-id:old')])
    expect(await client.exists(`${prefix}pin:x-session-id:old`)).toBe(0)
  })
})
