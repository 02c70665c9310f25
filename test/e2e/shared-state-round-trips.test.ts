import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { ADMIT_LUA } from '../../src/state/shared/admit-script.js'
import { SLICE_IDLE_MS } from '../../src/state/shared/leased-slices.js'
import { GET_PIN_LUA, SET_PIN_LUA } from '../../src/state/shared/pin-lua.js'
import { chatConversation, type Identity, type TurnResult } from '../support/agent-conversation.js'
import { configFor, type LimitedFake, startLimitedFake } from '../support/limited-fakes.js'
import { monitorScripts, type ScriptMonitor } from '../support/redis-script-monitor.js'
import { SKIP_WITHOUT_REDIS } from '../support/redis-server.js'
import { useRedisSuite } from '../support/redis-suite.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 21: what a request costs in Redis round trips on the way to its upstream call, counted by
// redis-server itself (MONITOR). A conversation recognized by its fingerprint starts without reading a
// pin (its first turn has none to follow), and the pin it writes is what its next turn, through the
// other instance, follows. A conversation the client names reads its pin from its first turn on. Once
// an instance has read or written a conversation's pin through Redis, and no other instance has moved
// it since (they publish every move), its later turns are answered from its own copy. With
// limits large enough to be sliced, an instance admits from a slice of each window it took ahead of
// time: only its first call of a counter (and a refill now and then) runs the admission script. What a
// request changes after its call (its settlement, the move of its count to its own second) waits for
// the next call to Redis.

const suite = useRedisSuite()
const { running } = suite

const SCRIPTS = { admit: ADMIT_LUA, pinRead: GET_PIN_LUA, pinWrite: SET_PIN_LUA }

interface SetUp {
  fakes: LimitedFake[]
  namespace: string
  instances: RunningSmartSplit[]
  monitor: ScriptMonitor
}

async function setUp(): Promise<SetUp> {
  const fakes = await Promise.all([0, 1, 2].map((index) => startLimitedFake(`fake${index}`, { rpd: 1000 })))
  for (const fake of fakes) running.push(fake.fake)
  const namespace = suite.namespace('trips')
  const config = configFor(fakes, suite.redis.url, namespace)
  const instances: RunningSmartSplit[] = []
  for (let i = 0; i < 2; i++) {
    const instance = await startSmartSplit(config)
    running.push(instance)
    instances.push(instance)
  }
  await expect
    .poll(
      async () => {
        const states = await Promise.all(
          instances.map(async (instance) => {
            const health = (await (await fetch(`${instance.url}/health`)).json()) as { shared_state: string }
            return health.shared_state
          }),
        )
        return states.every((state) => state.startsWith('redis'))
      },
      { timeout: 5_000 },
    )
    .toBe(true)
  const monitor = await monitorScripts(suite.redis.url, `${namespace}:`, SCRIPTS)
  running.push(monitor)
  // Redis learns each script once (a first call sends it whole): a conversation of its own warms them.
  const warmUp = chatConversation(instances[0]!.baseURL, { headers: { 'x-session-id': 'warm-up' } })
  for (let turn = 0; turn < 2; turn++) await warmUp.turn(turn, false)
  return { fakes, namespace, instances, monitor }
}

const IDENTITIES: { name: string; identity: Identity; firstTurnReadsPin: number }[] = [
  { name: 'recognized by its fingerprint', identity: {}, firstTurnReadsPin: 0 },
  {
    name: 'named by a session header',
    identity: { headers: { 'x-session-id': 'named' } },
    firstTurnReadsPin: 1,
  },
]

describe.skipIf(SKIP_WITHOUT_REDIS !== null).each([false, true])(
  'Redis round trips of a request (stream: %s)',
  (stream) => {
    it.each(IDENTITIES)(
      'a conversation $name: one admission per instance (then its slice), a pin read once per instance',
      async ({ identity, firstTurnReadsPin }) => {
        const { instances, monitor } = await setUp()
        // Turns alternate between the two instances, as a load balancer without stickiness sends them.
        const conversation = chatConversation(
          instances.map((instance) => instance.baseURL),
          identity,
        )
        const turns: TurnResult[] = []
        const counts: Record<string, number>[] = []
        for (let turn = 0; turn < 4; turn++) {
          counts.push(
            await monitor.countDuring(async () => turns.push(await conversation.turn(turn, stream))),
          )
        }
        // Each instance's first call of the counter is admitted by Redis (and takes a slice); the next
        // ones come from the slice. The first instance may hold one already, from the warm-up.
        expect(counts[0]!.admit).toBeLessThanOrEqual(1)
        expect(counts.slice(1)).toEqual([
          { admit: 1, pinRead: 1, pinWrite: 0 },
          { admit: 0, pinRead: 0, pinWrite: 0 },
          { admit: 0, pinRead: 0, pinWrite: 0 },
        ])
        expect({ ...counts[0], admit: 0 }).toEqual({ admit: 0, pinRead: firstTurnReadsPin, pinWrite: 1 })
        // The second instance never saw the conversation before its turn 1: 'kept' is the pin Redis held.
        expect(turns.map((t) => t.affinity)).toEqual(['new', 'kept', 'kept', 'kept'])
        expect(new Set(turns.map((t) => t.provider)).size).toBe(1)
      },
    )
  },
)

/** Socket reads redis-server has made (`total_reads_processed`): one per write that reached it. */
async function readsProcessed(url: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true })
  await client.connect()
  try {
    return Number(/total_reads_processed:(\d+)/.exec(await client.info('stats'))?.[1])
  } finally {
    client.disconnect()
  }
}

/** Requests counted in Redis today for one fake's counter. */
async function countedToday(url: string, namespace: string, fake: LimitedFake): Promise<number> {
  const client = new Redis(url, { lazyConnect: true })
  await client.connect()
  try {
    const keys = await client.keys(`${namespace}:d:${fake.name}\u0000*`)
    const counts = await Promise.all(keys.map((key) => client.hget(key, 'r')))
    return counts.reduce((sum, count) => sum + Number(count ?? 0), 0)
  } finally {
    client.disconnect()
  }
}

describe.skipIf(SKIP_WITHOUT_REDIS !== null).each([false, true])(
  'Redis work per request (stream: %s)',
  (stream) => {
    it('admits most calls from slices: a few admission scripts for 40 requests, nothing counted twice', async () => {
      const { fakes, namespace, instances, monitor } = await setUp()
      // The first turn of one conversation, again and again: never a pin read or write (its pin, set by
      // the first of them, stays what answers it).
      const send = async () => {
        const response = await fetch(`${instances[0]!.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'smartsplit', stream, messages: [{ role: 'user', content: 'Hi.' }] }),
        })
        await response.text()
        expect(response.status).toBe(200)
      }
      await send()
      const REQUESTS = 40
      const before = await readsProcessed(suite.redis.url)
      const scripts = await monitor.countDuring(async () => {
        for (let index = 0; index < REQUESTS; index++) await send()
      })
      const reads = (await readsProcessed(suite.redis.url)) - before
      // Admissions: the slices taken (each sized for the calls of the last second or two, so they grow
      // as the requests keep coming), not one a request.
      expect(scripts.admit).toBeGreaterThanOrEqual(1)
      expect(scripts.admit).toBeLessThanOrEqual(10)
      expect([scripts.pinRead, scripts.pinWrite]).toEqual([0, 0])
      // Socket reads: the refills, each instance's pull (4 a second) with the changes waiting for it,
      // what the learner and the plans leave behind (within 20 ms), the client that counts: 23-26 here,
      // on a quiet machine; an admission a request would be 40 and more.
      expect(reads).toBeLessThan(1.5 * REQUESTS)
      // Once the slices are back (the instance idle), Redis counts what the fakes answered, once.
      await new Promise((resolve) => setTimeout(resolve, SLICE_IDLE_MS))
      const served = fakes.reduce((sum, fake) => sum + fake.served(), 0)
      await expect
        .poll(
          async () =>
            (await Promise.all(fakes.map((fake) => countedToday(suite.redis.url, namespace, fake)))).reduce(
              (a, b) => a + b,
              0,
            ),
          { timeout: 3_000 },
        )
        .toBe(served)
    })
  },
)
