import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, SKIP_WITHOUT_REDIS, startRedisServer } from '../../../test/support/redis-server.js'
import { ADMIT_LUA } from './admit-script.js'
import { APPLY_LUA } from './apply-script.js'
import { admitAnswer } from './shared-answers.js'

// The admission script on a real Redis (no mock), asked by two clients at once as two instances ask it:
// slices and single calls together never go past a window, a slice is a fair part of what is left, and
// a slice given back is counted once, at the seconds its calls were made.

let redis: RedisServer
const clients: Redis[] = []
let namespaces = 0

beforeAll(async () => {
  if (SKIP_WITHOUT_REDIS !== null) return
  redis = await startRedisServer()
  for (let i = 0; i < 2; i++) {
    const client = new Redis(redis.url, { lazyConnect: true })
    await client.connect()
    clients.push(client)
  }
})
afterAll(async () => {
  for (const client of clients) client.disconnect()
  await redis?.stop()
})

const BUCKET = 'groq\u0000llama-3.3-70b-versatile\u00000'
const nowMs = Date.now()
const dayEndMs = nowMs + 3_600_000

interface Ask {
  admitsCall: boolean
  want: number
  id: string
  limits?: { rpm: number; rpd: number }
  atMs?: number
}

async function admit(client: Redis, prefix: string, ask: Ask) {
  const { rpm, rpd } = ask.limits ?? { rpm: 100, rpd: 1000 }
  const args = [prefix, ask.atMs ?? nowMs, BUCKET, 'groq\u00000', 'groq\u0000llama-3.3-70b-versatile', 10]
  const rest = [rpm, rpd, -1, -1, String(dayEndMs), 30_000, ask.admitsCall ? 1 : 0, ask.want, 10, 4]
  const answer = await client.eval(ADMIT_LUA, 0, ...args, ...rest, ask.id, nowMs + 30_000)
  return admitAnswer.parse(JSON.parse(String(answer)))
}

async function live(prefix: string, instances: number): Promise<void> {
  for (let i = 0; i < instances; i++) await clients[0]!.zadd(`${prefix}live`, nowMs, `instance-${i}`)
}

describe.skipIf(SKIP_WITHOUT_REDIS !== null)('the admission script with slices', () => {
  it('never lets two instances together hold and admit more than a window, asking at once', async () => {
    const prefix = `admit${++namespaces}:`
    await live(prefix, 2)
    let asks = 0
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        admit(clients[i % 2]!, prefix, {
          admitsCall: i % 3 !== 0,
          want: 20,
          id: `instance-${i % 2}:${++asks}`,
        }),
      ),
    )
    const admitted = answers.filter((answer) => answer.ok && answer.hr >= 0).length
    const calls = answers.filter((answer, i) => answer.ok && i % 3 !== 0).length
    const granted = answers.reduce((sum, answer) => sum + answer.granted, 0)
    // Per minute: 100. Everything counted or held is within it, and the last answer saw it all.
    expect(calls + granted).toBeLessThanOrEqual(100)
    const last = await admit(clients[0]!, prefix, { admitsCall: false, want: 0, id: '' })
    expect(last.hr).toBe(granted)
    expect(last.minute.filter((_, i) => i % 3 === 1).reduce((a, b) => a + b, 0)).toBe(calls)
    expect(admitted).toBeGreaterThan(0)
    // What was not granted as slices was admitted call by call, up to the limit: nothing is lost.
    expect(calls + granted).toBeGreaterThanOrEqual(100 - 4 * 2 * 2)
  })

  it('grants at most 1/(2 × live instances) of what is left, and nothing below the least slice', async () => {
    const prefix = `admit${++namespaces}:`
    await live(prefix, 2)
    const first = await admit(clients[0]!, prefix, { admitsCall: true, want: 1_000, id: 'a:1' })
    // 99 left after the call, 4 instances' worth of fairness: 24.
    expect([first.ok, first.granted]).toEqual([true, 24])
    const second = await admit(clients[1]!, prefix, { admitsCall: false, want: 1_000, id: 'b:1' })
    expect(second.granted).toBe(18)
    const small = await admit(clients[1]!, prefix, {
      admitsCall: false,
      want: 1_000,
      id: 'b:2',
      limits: { rpm: 100, rpd: 60 },
    })
    // 60 a day: 43 used or held, 17 left, 4 of it would be a slice of 4 (the least): granted.
    // One more ask finds 13 left: 3, below the least.
    expect(small.granted).toBe(4)
    const none = await admit(clients[1]!, prefix, {
      admitsCall: false,
      want: 1_000,
      id: 'b:3',
      limits: { rpm: 100, rpd: 60 },
    })
    expect([none.ok, none.granted, none.hr]).toEqual([true, 0, 24 + 18 + 4])
  })

  it('refuses a call when slices held by others fill the window, and counts a given-back slice once', async () => {
    const prefix = `admit${++namespaces}:`
    await live(prefix, 1)
    const limits = { rpm: 8, rpd: 1000 }
    const held = await admit(clients[0]!, prefix, { admitsCall: false, want: 4, id: 'a:1', limits })
    const more = await admit(clients[0]!, prefix, { admitsCall: false, want: 4, id: 'a:2', limits })
    expect([held.granted, more.granted]).toEqual([4, 0])
    await admit(clients[1]!, prefix, { admitsCall: true, want: 0, id: '', limits })
    await admit(clients[1]!, prefix, { admitsCall: true, want: 0, id: '', limits })
    await admit(clients[1]!, prefix, { admitsCall: true, want: 0, id: '', limits })
    await admit(clients[1]!, prefix, { admitsCall: true, want: 0, id: '', limits })
    const refused = await admit(clients[1]!, prefix, { admitsCall: true, want: 0, id: '', limits })
    expect([refused.ok, refused.hr]).toEqual([false, 4])
    // Given back with 3 calls made from it, two seconds apart; the same batch sent twice counts once.
    const second = Math.floor(nowMs / 1000)
    const giveBack = [
      { kind: 'unslice', bucket: BUCKET, id: 'a:1', dayEndMs, calls: [second, 2, 20, second + 2, 1, 10] },
    ]
    for (let i = 0; i < 2; i++)
      await clients[0]!.eval(APPLY_LUA, 0, prefix, nowMs + 2_000, 'a:batch', JSON.stringify(giveBack))
    const after = await admit(clients[1]!, prefix, { admitsCall: false, want: 0, id: '', limits })
    expect([after.hr, after.dr]).toEqual([0, 4 + 3])
    expect(after.minute).toEqual(expect.arrayContaining([second + 2, 1, 10]))
    const back = await admit(clients[1]!, prefix, { admitsCall: true, want: 0, id: '', limits })
    expect(back.ok).toBe(true)
  })

  it('counts a slice never given back whole when its hold ends, and a late giving back not again', async () => {
    const prefix = `admit${++namespaces}:`
    await live(prefix, 1)
    const held = await admit(clients[0]!, prefix, { admitsCall: false, want: 10, id: 'gone:1' })
    expect(held.granted).toBe(10)
    // Its holder died: 31 s later its hold (30 s) has ended.
    const later = await admit(clients[1]!, prefix, {
      admitsCall: true,
      want: 0,
      id: '',
      atMs: nowMs + 31_000,
    })
    expect([later.hr, later.dr]).toEqual([0, 10 + 1])
    const secondEnded = Math.floor((nowMs + 30_000) / 1000)
    expect(later.minute.slice(0, 3)).toEqual([secondEnded, 10, 0])
    const late = [
      { kind: 'unslice', bucket: BUCKET, id: 'gone:1', dayEndMs, calls: [Math.floor(nowMs / 1000), 3, 30] },
    ]
    await clients[0]!.eval(APPLY_LUA, 0, prefix, nowMs + 32_000, 'gone:batch', JSON.stringify(late))
    const after = await admit(clients[1]!, prefix, {
      admitsCall: false,
      want: 0,
      id: '',
      atMs: nowMs + 33_000,
    })
    expect(after.dr).toBe(11)
  })
})
