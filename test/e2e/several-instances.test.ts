import { describe, expect, it } from 'vitest'
import { chatConversation, type TurnResult } from '../support/agent-conversation.js'
import { ask, configFor, type LimitedFake, spread, startLimitedFake } from '../support/limited-fakes.js'
import { SKIP_WITHOUT_REDIS } from '../support/redis-server.js'
import { useRedisSuite } from '../support/redis-suite.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 21: two SmartSplit instances in front of the same keys share one set of quotas through a real
// Redis (no mock). The fakes refuse anything past their declared limits, so a 429 from them would be
// overshoot caused by SmartSplit. The long runs (720 requests, Redis killed and restarted, 2 workers)
// are in test/load/several-instances.test.ts.

const suite = useRedisSuite()
const { running } = suite

async function sharedStates(instances: readonly RunningSmartSplit[]): Promise<string[]> {
  return Promise.all(
    instances.map(async (instance) => {
      const health = (await (await fetch(`${instance.url}/health`)).json()) as { shared_state: string }
      return health.shared_state
    }),
  )
}

async function untilEvery(instances: readonly RunningSmartSplit[], state: 'redis' | 'local'): Promise<void> {
  await expect
    .poll(async () => (await sharedStates(instances)).every((s) => s.startsWith(state)), { timeout: 5_000 })
    .toBe(true)
}

async function setUp(limits: LimitedFake['limits'][]) {
  const fakes = await Promise.all(limits.map((limit, index) => startLimitedFake(`fake${index}`, limit)))
  for (const fake of fakes) running.push(fake.fake)
  const config = configFor(fakes, suite.redis.url, suite.namespace('e2e'))
  const instances: RunningSmartSplit[] = []
  for (let i = 0; i < 2; i++) {
    const instance = await startSmartSplit(config)
    running.push(instance)
    instances.push(instance)
  }
  await untilEvery(instances, 'redis')
  return { fakes, instances }
}

describe.skipIf(SKIP_WITHOUT_REDIS !== null)('several instances, one set of quotas', () => {
  it('serves what the limits allow together, streamed and not, and refuses the rest with 429 + Retry-After', async () => {
    const { fakes, instances } = await setUp([{ rpd: 20 }, { rpm: 15 }, { rpd: 25 }])
    const results = await spread(
      instances.map((instance) => instance.baseURL),
      72,
      6,
    )
    expect(fakes.map((fake) => fake.overLimit())).toEqual([0, 0, 0])
    expect(fakes.map((fake) => fake.served())).toEqual([20, 15, 25])
    const served = results.filter((result) => result.status === 200)
    expect(served).toHaveLength(60)
    expect(served.every((result) => result.isComplete)).toBe(true)
    expect(new Set(served.map((result) => result.stream))).toEqual(new Set([true, false]))
    const refused = results.filter((result) => result.status !== 200)
    expect(refused.every((result) => result.status === 429)).toBe(true)
    // The earliest capacity back is the per-minute one: 60 s after the first call fake1 answered.
    const freeAtMs = fakes[1]!.servedAtMs()[0]! + 60_000
    for (const result of refused) {
      const expectedS = (freeAtMs - result.atMs) / 1000
      expect(result.retryAfterS).toBeGreaterThanOrEqual(Math.floor(expectedS) - 1)
      expect(result.retryAfterS).toBeLessThanOrEqual(Math.ceil(expectedS) + 2)
    }
  })

  it('keeps the other instance off a provider whose breaker one instance opened, within a second', async () => {
    const { fakes, instances } = await setUp([{ rpd: 1000 }, { rpd: 1000 }])
    const broken = fakes[0]!
    broken.fake.defaultBehavior = {
      kind: 'error',
      status: 503,
      body: { error: { message: 'overloaded', type: 'server_error', code: null } },
    }
    // Pinned to fake0 through the first instance: three failures open its breaker.
    for (const stream of [false, true, false]) await ask(instances[0]!.baseURL, stream, 'fake0/fake0-model')
    expect(broken.fake.requests).toHaveLength(3)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    for (const stream of [false, true]) {
      const pinned = await ask(instances[1]!.baseURL, stream, 'fake0/fake0-model')
      expect(pinned.status).not.toBe(200)
      const routed = await ask(instances[1]!.baseURL, stream)
      expect(routed.status).toBe(200)
    }
    expect(broken.fake.requests).toHaveLength(3)
    const health = (await (await fetch(`${instances[1]!.url}/health`)).json()) as {
      state: { provider: string; models: { breaker: { state: string } }[] }[]
    }
    expect(health.state.find((p) => p.provider === 'fake0')?.models[0]?.breaker.state).toBe('open')
  })
})

/** What each fake received, by name: where the conversation's turns really went. */
const receivedBy = (fakes: readonly LimitedFake[]) =>
  Object.fromEntries(fakes.map((fake) => [fake.name, fake.fake.requests.length]))

const RATE_LIMITED = {
  kind: 'error',
  status: 429,
  headers: { 'retry-after': '60' },
  body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
} as const

describe.skipIf(SKIP_WITHOUT_REDIS !== null).each([false, true])(
  'a conversation over several instances (stream: %s)',
  (stream) => {
    it('stays pinned through every instance, and a move made through one is followed by the other', async () => {
      const { fakes, instances } = await setUp([{ rpd: 1000 }, { rpd: 1000 }, { rpd: 1000 }])
      // Turns alternate between the two instances, as a load balancer without stickiness sends them.
      const conversation = chatConversation(
        instances.map((instance) => instance.baseURL),
        { headers: { 'x-session-id': `pinned-${stream}` } },
      )
      const turns: TurnResult[] = []
      for (let turn = 0; turn < 8; turn++) turns.push(await conversation.turn(turn, stream))
      const pinned = turns[0]!.provider!
      expect(turns.map((t) => t.provider)).toEqual(Array(8).fill(pinned))
      expect(turns.map((t) => t.affinity)).toEqual(['new', ...Array(7).fill('kept')])
      expect(receivedBy(fakes)).toEqual(
        Object.fromEntries(fakes.map((fake) => [fake.name, fake.name === pinned ? 8 : 0])),
      )
      // The pinned provider refuses turn 8 (through the first instance): the conversation moves once,
      // and turn 9, through the second instance, stays where the first one moved it.
      fakes.find((fake) => fake.name === pinned)!.fake.queue.push(RATE_LIMITED)
      const moved = await conversation.turn(8, stream)
      expect(moved.affinity).toBe('moved (rate_limited)')
      expect(moved.provider).not.toBe(pinned)
      const next = await conversation.turn(9, stream)
      expect([next.provider, next.affinity]).toEqual([moved.provider, 'kept'])
      expect(fakes.find((fake) => fake.name === moved.provider)!.fake.requests).toHaveLength(2)
    })

    it('keeps its pin through Redis going away and coming back empty, without a client error', async () => {
      const { fakes, instances } = await setUp([{ rpd: 1000 }, { rpd: 1000 }, { rpd: 1000 }])
      const conversation = chatConversation(
        instances.map((instance) => instance.baseURL),
        { headers: { 'x-session-id': `outage-${stream}` } },
      )
      // The SDK throws on any answer but a 2xx: every turn below is also "no client error".
      const turns: TurnResult[] = []
      for (let turn = 0; turn < 4; turn++) turns.push(await conversation.turn(turn, stream))
      await suite.redis.kill()
      await untilEvery(instances, 'local')
      for (let turn = 4; turn < 8; turn++) turns.push(await conversation.turn(turn, stream))
      await suite.redis.restart()
      await untilEvery(instances, 'redis')
      for (let turn = 8; turn < 12; turn++) turns.push(await conversation.turn(turn, stream))
      const pinned = turns[0]!.provider!
      expect(turns.map((t) => t.provider)).toEqual(Array(12).fill(pinned))
      expect(turns.map((t) => t.affinity)).toEqual(['new', ...Array(11).fill('kept')])
      expect(fakes.find((fake) => fake.name === pinned)!.fake.requests).toHaveLength(12)
    })
  },
)
