import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { ADMIT_LUA } from '../../src/state/shared/admit-script.js'
import { GET_PIN_LUA, SET_PIN_LUA } from '../../src/state/shared/pin-lua.js'
import { chatConversation, type Identity, type TurnResult } from '../support/agent-conversation.js'
import { configFor, startLimitedFake } from '../support/limited-fakes.js'
import { monitorScripts, type ScriptMonitor } from '../support/redis-script-monitor.js'
import { SKIP_WITHOUT_REDIS } from '../support/redis-server.js'
import { useRedisSuite } from '../support/redis-suite.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 21: what a request costs in Redis round trips on the way to its upstream call, counted by
// redis-server itself (MONITOR). A conversation recognized by its fingerprint starts without reading a
// pin (its first turn has none to follow), and the pin it writes is what its next turn, through the
// other instance, follows. A conversation the client names reads its pin from its first turn on. What a
// request changes after its call (its settlement) goes with the next request's first call, in one write:
// redis-server reads a socket once per request, not twice.

const suite = useRedisSuite()
const { running } = suite

const SCRIPTS = { admit: ADMIT_LUA, pinRead: GET_PIN_LUA, pinWrite: SET_PIN_LUA }

async function setUp(): Promise<{ instances: RunningSmartSplit[]; monitor: ScriptMonitor }> {
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
  return { instances, monitor }
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
      'a conversation $name: one admission a turn, a pin read only where a pin can matter',
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
        expect(counts).toEqual([
          { admit: 1, pinRead: firstTurnReadsPin, pinWrite: 1 },
          { admit: 1, pinRead: 1, pinWrite: 0 },
          { admit: 1, pinRead: 1, pinWrite: 0 },
          { admit: 1, pinRead: 1, pinWrite: 0 },
        ])
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

describe.skipIf(SKIP_WITHOUT_REDIS !== null).each([false, true])(
  'Redis reads per request (stream: %s)',
  (stream) => {
    it("sends a request's settlement with the next request's admission, in one write", async () => {
      const { instances } = await setUp()
      // The first turn of one conversation, again and again: admitted, never a pin read or write (its
      // pin, set by the first of them, stays what answers it).
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
      for (let index = 0; index < REQUESTS; index++) await send()
      const reads = (await readsProcessed(suite.redis.url)) - before
      // One read a request: its admission, with the last one's settlement. Besides, a few: each
      // instance's pull (4 a second), the last settlement, the client that counts. A settlement sent
      // on its own would make it two a request.
      expect(reads).toBeGreaterThanOrEqual(REQUESTS)
      expect(reads).toBeLessThan(1.5 * REQUESTS)
    })
  },
)
