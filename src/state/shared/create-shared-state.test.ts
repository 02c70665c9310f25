import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type RedisServer, SKIP_WITHOUT_REDIS, startRedisServer } from '../../../test/support/redis-server.js'
import { ManualClock } from '../../lib/clock.js'
import { createMemoryConversationPins } from '../conversation-pins.js'
import { providerConfigFixture } from '../provider-config-fixture.js'
import type { AttemptTarget, Lease } from '../types.js'
import { createSharedState, type SharedState } from './create-shared-state.js'
import { SLICE_IDLE_MS } from './leased-slices.js'

// Two instances sharing one real Redis (no mock): admission is atomic across them, effects reach the
// other side, and Redis going away (killed, frozen) never stops admission; when it returns, the counts
// made meanwhile are reconciled. Time is a ManualClock started at the real time (Redis expires keys on
// its own clock).

const GEMINI = { provider: 'gemini', model: 'gemini-2.5-flash', keyIndex: 0 }
const running: SharedState[] = []
let redis: RedisServer

beforeAll(async () => {
  if (SKIP_WITHOUT_REDIS === null) redis = await startRedisServer()
})
afterAll(async () => {
  await redis?.stop()
})
afterEach(async () => {
  for (const state of running.splice(0)) await state.close()
})

let namespaces = 0

function instances(count: number, limits: { rpd?: number; rpm?: number }, redisUrl = redis.url) {
  const clock = new ManualClock(Date.now())
  const namespace = `test${++namespaces}`
  const now = () => namespace
  const warnings: string[] = []
  const states = Array.from({ length: count }, (_, index) => {
    const state = createSharedState({
      clock,
      providers: [providerConfigFixture('gemini', ['AIzaSyFakeGeminiKeyFakeKey0000'], limits)],
      redisUrl,
      timeoutMs: 200,
      namespace,
      instance: `instance-${index}`,
      savedArms: [],
      warn: (message) => warnings.push(message),
      info: () => {},
    })
    running.push(state)
    return state
  })
  return { clock, states, warnings, namespace: now() }
}

async function untilShared(states: SharedState[]): Promise<void> {
  await expect
    .poll(() => states.every((state) => state.status().mode === 'redis'), { timeout: 5_000 })
    .toBe(true)
}

/** Today's requests counted in Redis for the counter of GEMINI, read with a client of its own. */
async function sharedDayRequests(namespace: string): Promise<number> {
  const client = new Redis(redis.url, { lazyConnect: true })
  await client.connect()
  try {
    const keys = await client.keys(`${namespace}:d:*gemini-2.5-flash:*`)
    const counts = await Promise.all(keys.map((key) => client.hget(key, 'r')))
    return counts.reduce((sum, count) => sum + Number(count ?? 0), 0)
  } finally {
    client.disconnect()
  }
}

/** Leases taken one after another until the first refusal. */
async function admitUntilRefused(state: SharedState): Promise<Lease[]> {
  const leases: Lease[] = []
  for (let lease = await admit(state); lease !== null; lease = await admit(state)) leases.push(lease)
  return leases
}

async function admit(state: SharedState, target: AttemptTarget = GEMINI): Promise<Lease | null> {
  const admission = await state.providerState.coordination.admit(target, 100)
  return 'lease' in admission ? admission.lease : null
}

describe.skipIf(SKIP_WITHOUT_REDIS !== null)('shared state on Redis', () => {
  it('never lets two instances together go past a daily limit, even when they ask at once', async () => {
    const { states } = instances(2, { rpd: 25, rpm: 1000 })
    await untilShared(states)
    const leases = await Promise.all(Array.from({ length: 60 }, (_, i) => admit(states[i % 2]!)))
    expect(leases.filter((lease) => lease !== null)).toHaveLength(25)
    const refused = await states[0]!.providerState.coordination.admit(GEMINI, 100)
    expect(refused).toMatchObject({ refused: { state: 'quota' } })
  })

  it('gives a released call back to every instance', async () => {
    const { states } = instances(2, { rpd: 1, rpm: 1000 })
    await untilShared(states)
    const lease = await admit(states[0]!)
    expect(await admit(states[1]!)).toBeNull()
    lease!.release()
    await expect.poll(() => admit(states[1]!).then((next) => next !== null), { timeout: 2_000 }).toBe(true)
  })

  it('keeps an instance off a breaker another one opened', async () => {
    const { states } = instances(2, { rpd: 1000, rpm: 1000 })
    await untilShared(states)
    for (let i = 0; i < 3; i++) (await admit(states[0]!))!.settle({ outcome: 'overloaded', status: 503 })
    await expect.poll(() => admit(states[1]!), { timeout: 1_000, interval: 50 }).toBeNull()
    const view = (await states[1]!.providerState.coordination.snapshot()).view(GEMINI)
    expect(view.availability.state).toBe('open')
  })
})

describe.skipIf(SKIP_WITHOUT_REDIS !== null)('shared state without Redis', () => {
  it('goes on within its share of each limit, then reconciles a Redis that came back empty', async () => {
    const { states, warnings, namespace } = instances(2, { rpd: 40, rpm: 1000 })
    await untilShared(states)
    for (let i = 0; i < 20; i++) (await admit(states[i % 2]!))!.settle({ outcome: 'ok', usageTokens: 50 })
    // Both have pulled: each knows the other is alive and what is used.
    await new Promise((resolve) => setTimeout(resolve, 600))
    await redis.kill()
    await expect
      .poll(() => states.every((state) => state.status().mode === 'local'), { timeout: 5_000 })
      .toBe(true)
    const offline = [await admitUntilRefused(states[0]!), await admitUntilRefused(states[1]!)]
    // 20 left of 40, shared by 2: 10 each, and together exactly the limit.
    expect(offline.map((leases) => leases.length)).toEqual([10, 10])
    for (const lease of offline.flat()) lease.settle({ outcome: 'ok', usageTokens: 50 })
    expect(warnings.filter((warning) => warning.includes('lost the shared state'))).toHaveLength(2)
    await redis.restart()
    await untilShared(states)
    await expect.poll(() => sharedDayRequests(namespace), { timeout: 3_000 }).toBe(40)
    expect(await admit(states[0]!)).toBeNull()
  })

  it('waits no longer than its timeout for a Redis that stopped answering', async () => {
    const { states } = instances(1, { rpd: 1000, rpm: 1000 })
    await untilShared(states)
    redis.freeze()
    try {
      for (let i = 0; i < 5; i++) {
        const startedMs = performance.now()
        expect(await admit(states[0]!)).not.toBeNull()
        expect(performance.now() - startedMs).toBeLessThan(1_000)
      }
      expect(states[0]!.status().mode).toBe('local')
    } finally {
      redis.resume()
    }
    await untilShared(states)
    // Nothing admitted is lost. An admission that timed out while Redis was frozen ran once Redis
    // thawed, and was counted locally too: those few (before Redis counted as away) count twice.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const counted = await sharedDayRequests(`test${namespaces}`)
    expect(counted).toBeGreaterThanOrEqual(5)
    expect(counted).toBeLessThanOrEqual(5 + 3)
  })
})

describe.skipIf(SKIP_WITHOUT_REDIS !== null)('conversation pins on Redis', () => {
  const IDLE_MS = 60_000
  const pinsOf = (state: SharedState) =>
    state.sharePins(createMemoryConversationPins({ idleMs: IDLE_MS, maxConversations: 100 }), {
      idleMs: IDLE_MS,
      maxConversations: 100,
    })
  const GROQ = { provider: 'groq', model: 'llama-3.3-70b-versatile', keyIndex: 1 }

  it('reads through one instance the pin set through another, forgotten after the idle time', async () => {
    const { clock, states, namespace } = instances(2, { rpd: 1000, rpm: 1000 })
    await untilShared(states)
    const [pins0, pins1] = states.map(pinsOf)
    expect(await pins1!.get('conv', clock.nowMs())).toBeNull()
    await pins0!.set('conv', GROQ, clock.nowMs())
    expect(await pins1!.get('conv', clock.nowMs())).toEqual(GROQ)
    const client = new Redis(redis.url, { lazyConnect: true })
    await client.connect()
    try {
      const ttlMs = await client.pttl(`${namespace}:pin:conv`)
      expect(ttlMs).toBeGreaterThan(IDLE_MS - 5_000)
      expect(ttlMs).toBeLessThanOrEqual(IDLE_MS)
    } finally {
      client.disconnect()
    }
  })

  /** Scripts redis-server has run so far (`INFO commandstats`), read with a client of its own. */
  async function scriptsRun(): Promise<number> {
    const client = new Redis(redis.url, { lazyConnect: true })
    await client.connect()
    try {
      const stats = await client.info('commandstats')
      const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0)
      return calls('evalsha') + calls('eval')
    } finally {
      client.disconnect()
    }
  }

  /** Runs one command on a client of its own. */
  async function withClient<T>(run: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis(redis.url, { lazyConnect: true })
    await client.connect()
    try {
      return await run(client)
    } finally {
      client.disconnect()
    }
  }

  const following = (namespace: string) =>
    withClient(async (client) => (await client.pubsub('NUMSUB', `${namespace}:pins`))[1])

  it('answers later turns from its own copy, reading Redis again only to keep the idle time there', async () => {
    const { clock, states, namespace } = instances(1, { rpd: 1000, rpm: 1000 })
    await untilShared(states)
    const [pins] = states.map(pinsOf)
    await expect.poll(() => following(namespace), { timeout: 5_000 }).toBe(1)
    await pins!.set('conv', GROQ, clock.nowMs())
    const before = await scriptsRun()
    for (let turn = 0; turn < 5; turn++) expect(await pins!.get('conv', clock.nowMs())).toEqual(GROQ)
    expect(await scriptsRun()).toBe(before)
    clock.advance(10_000)
    expect(await pins!.get('conv', clock.nowMs())).toEqual(GROQ)
    await expect.poll(scriptsRun, { timeout: 3_000 }).toBe(before + 1)
  })

  it('follows a pin another instance moved on the very next turn', async () => {
    const { clock, states, namespace } = instances(2, { rpd: 1000, rpm: 1000 })
    await untilShared(states)
    const [pins0, pins1] = states.map(pinsOf)
    await expect.poll(() => following(namespace), { timeout: 5_000 }).toBe(2)
    await pins0!.set('conv', GROQ, clock.nowMs())
    expect(await pins1!.get('conv', clock.nowMs())).toEqual(GROQ)
    const moved = { ...GROQ, keyIndex: 0 }
    clock.advance(1)
    await pins1!.set('conv', moved, clock.nowMs())
    await expect.poll(() => pins0!.get('conv', clock.nowMs()), { timeout: 3_000 }).toEqual(moved)
    clock.advance(1)
    await pins0!.set('conv', GROQ, clock.nowMs())
    await expect.poll(() => pins1!.get('conv', clock.nowMs()), { timeout: 3_000 }).toEqual(GROQ)
  })

  it('trusts nothing it knew before it lost the moves, even for a moment', async () => {
    const { clock, states, namespace } = instances(1, { rpd: 1000, rpm: 1000 })
    await untilShared(states)
    const [pins] = states.map(pinsOf)
    await expect.poll(() => following(namespace), { timeout: 5_000 }).toBe(1)
    await pins!.set('conv', GROQ, clock.nowMs())
    await withClient((client) => client.call('CLIENT', 'KILL', 'TYPE', 'pubsub'))
    await expect.poll(() => following(namespace), { timeout: 5_000 }).toBe(1)
    // A move it cannot have heard of (written without a message): only a read of Redis finds it.
    const moved = { ...GROQ, keyIndex: 0 }
    await withClient((client) =>
      client.set(
        `${namespace}:pin:conv`,
        JSON.stringify({ pin: moved, atMs: clock.nowMs() + 1 }),
        'PX',
        60_000,
      ),
    )
    expect(await pins!.get('conv', clock.nowMs())).toEqual(moved)
  })

  it('says once that it cannot follow the moves where Redis refuses SUBSCRIBE, and reads every pin', async () => {
    await withClient((client) =>
      client.call('ACL', 'SETUSER', 'nosub', 'on', '>fake-nosub-pass', '~*', '&*', '+@all', '-subscribe'),
    )
    const url = redis.url.replace('redis://', 'redis://nosub:fake-nosub-pass@')
    const { clock, states, warnings } = instances(2, { rpd: 1000, rpm: 1000 }, url)
    await untilShared(states)
    const [pins0, pins1] = states.map(pinsOf)
    await expect
      .poll(() => warnings.filter((w) => w.startsWith('cannot follow conversation pin moves')).length, {
        timeout: 5_000,
      })
      .toBe(2)
    await pins0!.set('conv', GROQ, clock.nowMs())
    expect(await pins1!.get('conv', clock.nowMs())).toEqual(GROQ)
    const moved = { ...GROQ, keyIndex: 0 }
    clock.advance(1)
    await pins1!.set('conv', moved, clock.nowMs())
    // Never trusted without the moves: the very next read finds the move, no waiting for a message.
    expect(await pins0!.get('conv', clock.nowMs())).toEqual(moved)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(warnings.filter((w) => w.startsWith('cannot follow conversation pin moves'))).toHaveLength(2)
  })

  it('keeps its pins while Redis is away, and shares those set meanwhile once it is back', async () => {
    const { clock, states } = instances(2, { rpd: 1000, rpm: 1000 })
    await untilShared(states)
    const [pins0, pins1] = states.map(pinsOf)
    await pins0!.set('before', GROQ, clock.nowMs())
    await redis.kill()
    await expect
      .poll(() => states.every((state) => state.status().mode === 'local'), { timeout: 5_000 })
      .toBe(true)
    expect(await pins0!.get('before', clock.nowMs())).toEqual(GROQ)
    await pins0!.set('meanwhile', { ...GROQ, keyIndex: 0 }, clock.nowMs())
    expect(await pins1!.get('meanwhile', clock.nowMs())).toBeNull()
    await redis.restart()
    await untilShared(states)
    await expect
      .poll(() => pins1!.get('meanwhile', clock.nowMs()), { timeout: 3_000 })
      .toEqual({ ...GROQ, keyIndex: 0 })
  })
})

describe.skipIf(SKIP_WITHOUT_REDIS !== null)(
  'slices of each window (limits of 100 requests and more)',
  () => {
    /** Runs a pull of every instance (where slices are given back) after the clock moved. */
    const pulled = () => new Promise((resolve) => setTimeout(resolve, 600))

    it('serves exactly the limit over two instances asking at once, then refuses', async () => {
      const { states, clock, namespace } = instances(2, { rpd: 200, rpm: 1000 })
      await untilShared(states)
      await pulled()
      const first = await Promise.all(Array.from({ length: 120 }, (_, i) => admit(states[i % 2]!)))
      const rest = [await admitUntilRefused(states[0]!), await admitUntilRefused(states[1]!)]
      const leases = [...first.filter((lease) => lease !== null), ...rest.flat()]
      for (const lease of leases) lease!.settle({ outcome: 'ok', usageTokens: 100 })
      // Slices held by one instance are the other's only after they come back: idle, then a pull.
      clock.advance(SLICE_IDLE_MS)
      await pulled()
      for (const state of states) leases.push(...(await admitUntilRefused(state)))
      expect(leases).toHaveLength(200)
      clock.advance(SLICE_IDLE_MS)
      await pulled()
      await expect.poll(() => sharedDayRequests(namespace), { timeout: 3_000 }).toBe(200)
      expect(await admit(states[0]!)).toBeNull()
    })

    it("gives an idle instance's slice back, for the other to use", async () => {
      const { states, clock, namespace } = instances(2, { rpd: 200, rpm: 1000 })
      await untilShared(states)
      await pulled()
      for (let i = 0; i < 10; i++) (await admit(states[0]!))!.settle({ outcome: 'ok', usageTokens: 100 })
      const counted = await sharedDayRequests(namespace)
      const held = await heldRequests(namespace)
      expect(held).toBeGreaterThan(0)
      const other = await admitUntilRefused(states[1]!)
      // The first instance's slice is not the other's while it is held...
      expect(other.length).toBeLessThanOrEqual(200 - counted - held)
      // ...and comes back once the first instance has made no call for SLICE_IDLE_MS.
      clock.advance(SLICE_IDLE_MS)
      await expect.poll(() => heldRequests(namespace), { timeout: 2_000 }).toBe(0)
      await pulled()
      other.push(...(await admitUntilRefused(states[1]!)))
      expect(other).toHaveLength(190)
    })

    it('goes on with its slice and then its share while Redis is away, and counts every call once after', async () => {
      const { states, clock, namespace } = instances(2, { rpd: 400, rpm: 1000 })
      await untilShared(states)
      await pulled()
      let admitted = 0
      for (let i = 0; i < 40; i++) {
        ;(await admit(states[i % 2]!))!.settle({ outcome: 'ok', usageTokens: 100 })
        admitted++
      }
      expect(await heldRequests(namespace)).toBeGreaterThan(0)
      await redis.kill()
      await expect
        .poll(() => states.every((state) => state.status().mode === 'local'), { timeout: 5_000 })
        .toBe(true)
      for (const state of states) {
        const offline = await admitUntilRefused(state)
        for (const lease of offline) lease.settle({ outcome: 'ok', usageTokens: 100 })
        admitted += offline.length
      }
      expect(admitted).toBeLessThanOrEqual(400)
      await redis.restart()
      await untilShared(states)
      clock.advance(SLICE_IDLE_MS)
      await pulled()
      await expect.poll(() => sharedDayRequests(namespace), { timeout: 3_000 }).toBe(admitted)
      expect(await heldRequests(namespace)).toBe(0)
    })
  },
)

/** Requests the slices of every instance hold in Redis now. */
async function heldRequests(namespace: string): Promise<number> {
  const client = new Redis(redis.url, { lazyConnect: true })
  await client.connect()
  try {
    const keys = await client.keys(`${namespace}:held:*`)
    let held = 0
    for (const key of keys)
      for (const value of Object.values(await client.hgetall(key)))
        held += (JSON.parse(value) as number[])[0]!
    return held
  } finally {
    client.disconnect()
  }
}
