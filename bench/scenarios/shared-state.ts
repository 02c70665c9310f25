import { Redis } from 'ioredis'
import { type RedisServer, SKIP_WITHOUT_REDIS, startRedisServer } from '../../test/support/redis-server.js'
import { readProcessUsage } from '../lib/child-process.js'
import { median, type Spread, spread } from '../lib/stats.js'
import { type LoadResult, runAutocannon } from '../load/autocannon-run.js'
import type { Target } from '../targets/target.js'
import { type BenchContext, rotate, type Skipped } from './context.js'

// Several instances (issue 21): what sharing state through Redis costs a request, and what a second
// worker adds, with a real redis-server on a free loopback port (no persistence). Three SmartSplits, each
// its own process with the default configuration: state in memory (the embedded default), state on
// Redis, and state on Redis with `--workers 2`. JSON requests, autocannon at fixed concurrency:
//  - 1 connection, upstream answers at once, and 50 connections, upstream 50 ms to its first byte:
//    added p50 of the Redis-backed path over in-memory state, paired per round;
//  - 50 connections, upstream answers at once (saturated): req/s of 2 workers over 1, paired per round.
// The one-turn question starts a conversation; the same shapes are measured for a later turn of one (a
// system prompt, two user turns and the assistant's answer between), whose pin is read before planning.
// Every process shares the same cores: the load generator, the fake, redis-server and the workers.

export const GOALS = { workersSpeedup: 1.7, redisAddedP50Ms: 0.5 }

type Side = 'memory' | 'redis' | 'redis-workers-2'

interface CellSpec {
  id: string
  title: string
  connections: number
  firstByteMs: number
  sides: readonly Side[]
  /** A conversation's first turn (the one-turn question) or a later one (it has an assistant turn). */
  turn: 'first' | 'later'
}

/** A later turn of one conversation, the same for every request (so its pin exists after the first). */
function laterTurnBody(model: string): string {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: 'You are a concise poet.' },
      { role: 'user', content: 'Write a haiku about fast proxies.' },
      {
        role: 'assistant',
        content: 'Packets leap the wire / one hop, no wait, no detour / the answer comes home',
      },
      { role: 'user', content: 'Now one about caches.' },
    ],
  })
}

const CELLS: readonly CellSpec[] = [
  {
    id: 'json-c1-0ms',
    title: 'json, 1 connection, upstream 0 ms',
    connections: 1,
    firstByteMs: 0,
    sides: ['memory', 'redis'],
    turn: 'first',
  },
  {
    id: 'json-c50-50ms',
    title: 'json, 50 connections, upstream 50 ms',
    connections: 50,
    firstByteMs: 50,
    sides: ['memory', 'redis'],
    turn: 'first',
  },
  {
    id: 'json-later-c1-0ms',
    title: 'json, later turn, 1 connection, upstream 0 ms',
    connections: 1,
    firstByteMs: 0,
    sides: ['memory', 'redis'],
    turn: 'later',
  },
  {
    id: 'json-later-c50-50ms',
    title: 'json, later turn, 50 connections, upstream 50 ms',
    connections: 50,
    firstByteMs: 50,
    sides: ['memory', 'redis'],
    turn: 'later',
  },
  {
    id: 'json-c50-0ms',
    title: 'json, 50 connections, upstream 0 ms (saturated)',
    connections: 50,
    firstByteMs: 0,
    sides: ['memory', 'redis', 'redis-workers-2'],
    turn: 'first',
  },
]

/** Cores each process kept busy during a measurement (CPU seconds per second of wall time). */
export interface CoresUsed {
  smartsplit: number
  loadGenerator: number
  fake: number
  redis: number
}

export interface SharedStateRow {
  side: Side
  label: string
  reqPerSec: Spread
  p50Ms: Spread
  p99Ms: Spread
  /** p50 minus in-memory state's p50, paired per round; null for in-memory itself. */
  addedP50Ms: Spread | null
  /** CPU ms per request of SmartSplit's processes (every worker). */
  cpuMsPerRequest: Spread
  /** Medians over rounds of the cores each process used. */
  cores: CoresUsed
  failures: number
}

interface Measured {
  load: LoadResult
  cores: CoresUsed
  cpuMsPerRequest: number
}

export interface SharedStateCell {
  id: string
  title: string
  rows: SharedStateRow[]
}

export interface SharedStateFigures {
  cells: SharedStateCell[]
  /** Saturated req/s with `--workers 2` ÷ 1 worker (both on Redis), paired per round. */
  workersSpeedup: Spread
  /** Saturated req/s on Redis (1 worker) ÷ in memory, paired per round. */
  redisThroughputVsMemory: Spread
  /** Added p50 of the Redis-backed path over in-memory state, at 1 and at 50 connections. */
  redisAddedP50Ms: { c1: Spread; c50: Spread }
  redisVersion: string
}

async function redisVersionOf(server: RedisServer): Promise<string> {
  const client = new Redis(server.url, { lazyConnect: true })
  try {
    await client.connect()
    const info = await client.info('server')
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown'
  } finally {
    client.disconnect()
  }
}

function rowOf(
  side: Side,
  target: Target,
  rounds: Measured[],
  memory: Measured[] | undefined,
): SharedStateRow {
  const loads = rounds.map((r) => r.load)
  const coresOf = (pick: (cores: CoresUsed) => number): number => median(rounds.map((r) => pick(r.cores)))
  return {
    side,
    label: target.label,
    reqPerSec: spread(loads.map((l) => l.reqPerSec)),
    p50Ms: spread(loads.map((l) => l.p50Ms)),
    p99Ms: spread(loads.map((l) => l.p99Ms)),
    addedP50Ms:
      side === 'memory' || memory === undefined
        ? null
        : spread(loads.map((l, i) => l.p50Ms - memory[i]!.load.p50Ms)),
    cpuMsPerRequest: spread(rounds.map((r) => r.cpuMsPerRequest)),
    cores: {
      smartsplit: coresOf((c) => c.smartsplit),
      loadGenerator: coresOf((c) => c.loadGenerator),
      fake: coresOf((c) => c.fake),
      redis: coresOf((c) => c.redis),
    },
    failures: loads.reduce((sum, l) => sum + l.errors + l.non2xx, 0),
  }
}

/** CPU ms so far of each process taking part: SmartSplit's, this one (autocannon), the fake, Redis. */
function cpuNow(target: Target, ctx: BenchContext, redis: RedisServer): CoresUsed {
  const usage = process.cpuUsage()
  const redisPid = redis.pid()
  return {
    smartsplit: target.usage()?.cpuMs ?? Number.NaN,
    loadGenerator: (usage.user + usage.system) / 1000,
    fake: ctx.fake.direct.usage()?.cpuMs ?? Number.NaN,
    redis: redisPid === null ? Number.NaN : (readProcessUsage(redisPid)?.cpuMs ?? Number.NaN),
  }
}

async function measureOnce(
  ctx: BenchContext,
  spec: CellSpec,
  target: Target,
  redis: RedisServer,
  durationSec: number,
): Promise<Measured> {
  const before = cpuNow(target, ctx, redis)
  const startedMs = performance.now()
  const load = await runAutocannon(target, {
    connections: spec.connections,
    durationSec,
    stream: false,
    ...(spec.turn === 'later' ? { body: laterTurnBody(target.model) } : {}),
    ...(ctx.smoke ? { amount: spec.connections * 2 } : {}),
  })
  const wallMs = performance.now() - startedMs
  const after = cpuNow(target, ctx, redis)
  const cores = (pick: (c: CoresUsed) => number): number => (pick(after) - pick(before)) / wallMs
  const smartsplitMs = after.smartsplit - before.smartsplit
  return {
    load,
    cores: {
      smartsplit: cores((c) => c.smartsplit),
      loadGenerator: cores((c) => c.loadGenerator),
      fake: cores((c) => c.fake),
      redis: cores((c) => c.redis),
    },
    cpuMsPerRequest: load.requests > 0 ? smartsplitMs / load.requests : Number.NaN,
  }
}

async function measureCell(
  ctx: BenchContext,
  spec: CellSpec,
  targets: ReadonlyMap<Side, Target>,
  redis: RedisServer,
): Promise<{ cell: SharedStateCell; rounds: Map<Side, Measured[]> }> {
  await ctx.fake.configure({ firstByteMs: spec.firstByteMs, chunkGapMs: 0, chunks: 5 })
  const run = (side: Side, durationSec: number) =>
    measureOnce(ctx, spec, targets.get(side)!, redis, durationSec)
  if (!ctx.smoke) for (const side of spec.sides) await run(side, 1)
  const rounds = new Map<Side, Measured[]>(spec.sides.map((side) => [side, []]))
  for (let r = 0; r < ctx.rounds; r++)
    for (const side of rotate(spec.sides, r)) rounds.get(side)!.push(await run(side, ctx.durationSec))
  const memory = rounds.get('memory')
  const rows = spec.sides.map((side) => rowOf(side, targets.get(side)!, rounds.get(side)!, memory))
  ctx.log(
    `  ${spec.title}: ${rows.map((row) => `${row.side} ${row.reqPerSec.median.toFixed(0)} req/s p50 ${row.p50Ms.median.toFixed(2)} ms`).join(' | ')}`,
  )
  return { cell: { id: spec.id, title: spec.title, rows }, rounds }
}

const pairedRatio = (top: readonly Measured[], bottom: readonly Measured[]): Spread =>
  spread(top.map((m, i) => m.load.reqPerSec / bottom[i]!.load.reqPerSec))

export async function runSharedState(ctx: BenchContext): Promise<SharedStateFigures | Skipped> {
  if (SKIP_WITHOUT_REDIS !== null) return { skipped: true, note: SKIP_WITHOUT_REDIS }
  if (!ctx.ownProcess) return { skipped: true, note: 'workers need SmartSplit in its own process' }
  const redis = await startRedisServer()
  const started: Target[] = []
  try {
    const start = async (target: Promise<Target>): Promise<Target> => {
      const running = await target
      started.push(running)
      return running
    }
    const selected = ctx.smoke
      ? CELLS.filter((cell) => cell.id === 'json-c50-0ms')
      : CELLS.filter((cell) => ctx.cells === undefined || ctx.cells.has(cell.id))
    const sides = new Set(selected.flatMap((cell) => cell.sides))
    const targets = new Map<Side, Target>()
    if (sides.has('memory')) targets.set('memory', await start(ctx.startFreshSmartSplit()))
    if (sides.has('redis'))
      targets.set(
        'redis',
        await start(ctx.startSharedSmartSplit({ redisUrl: redis.url, namespace: 'bench1' })),
      )
    if (sides.has('redis-workers-2')) {
      const shared = { redisUrl: redis.url, namespace: 'bench2', workers: 2 }
      targets.set('redis-workers-2', await start(ctx.startSharedSmartSplit(shared)))
    }
    const cells: SharedStateCell[] = []
    const rounds = new Map<string, Map<Side, Measured[]>>()
    for (const spec of selected) {
      const measured = await measureCell(ctx, spec, targets, redis)
      cells.push(measured.cell)
      rounds.set(spec.id, measured.rounds)
    }
    // Without the saturated cell (--cells), there is no throughput to compare.
    const saturated = rounds.get('json-c50-0ms')
    const ratio = (top: Side, bottom: Side): Spread =>
      saturated === undefined ? spread([]) : pairedRatio(saturated.get(top)!, saturated.get(bottom)!)
    const addedOf = (id: string): Spread =>
      cells.find((cell) => cell.id === id)?.rows.find((row) => row.side === 'redis')?.addedP50Ms ?? spread([])
    return {
      cells,
      workersSpeedup: ratio('redis-workers-2', 'redis'),
      redisThroughputVsMemory: ratio('redis', 'memory'),
      redisAddedP50Ms: { c1: addedOf('json-c1-0ms'), c50: addedOf('json-c50-50ms') },
      redisVersion: await redisVersionOf(redis),
    }
  } finally {
    for (const target of started) await target.stop()
    await redis.stop()
  }
}
