import { type Spread, spread } from '../lib/stats.js'
import { type LoadResult, runAutocannon } from '../load/autocannon-run.js'
import type { Target, UpstreamKind } from '../targets/target.js'
import { type BenchContext, rotate } from './context.js'

// Proxy overhead with autocannon at fixed concurrency. Three load shapes, JSON and streamed:
//  - 1 connection, upstream answers at once: the per-request cost of the proxy, without queueing;
//  - 50 connections, upstream takes 50 ms to its first byte: latency added under realistic concurrency
//    (the 50-connection targets) while nothing is saturated;
//  - 50 connections, upstream answers at once: saturation, i.e. throughput relative to direct.
// Answers stream 5 content chunks; one more saturated cell streams 100, as real providers send about a
// token per chunk, so that what each chunk costs (parsing, normalizing, re-serializing) stays in view.
// Every round runs each target once, starting with a different one; added figures are paired per round.
// Each shape runs twice: proxies reaching the fake over plain HTTP, then over TLS (as real providers are
// reached). Direct is always plain HTTP, so over TLS the added figures include the proxy's TLS hop.

export interface CellSpec {
  id: string
  title: string
  upstream: UpstreamKind
  connections: number
  firstByteMs: number
  stream: boolean
  /** Content chunks per answer. */
  chunks: number
}

export interface TargetFigures {
  target: Target['name']
  reqPerSec: Spread
  p50Ms: Spread
  p99Ms: Spread
  /** Target minus direct, paired per round; null for direct itself. */
  addedP50Ms: Spread | null
  addedP99Ms: Spread | null
  /** Target req/s ÷ direct req/s, paired per round. */
  throughputVsDirect: Spread | null
  /** CPU milliseconds the target's process spent per request (the fake's, for direct). */
  cpuMsPerRequest: Spread
  failures: number
}

export interface OverheadCell {
  spec: CellSpec
  figures: TargetFigures[]
}

const DEFAULT_CHUNKS = 5
export const MANY_CHUNKS = 100

export const CELLS: CellSpec[] = (['http', 'tls'] as const).flatMap((upstream) =>
  [false, true].flatMap((stream) => {
    const kind = stream ? 'stream' : 'json'
    const prefix = upstream === 'tls' ? 'tls-' : ''
    const over = upstream === 'tls' ? ', upstream over TLS' : ''
    const cell = (connections: number, firstByteMs: number, saturated: string): CellSpec => ({
      id: `${prefix}${kind}-c${connections}-${firstByteMs}ms`,
      title: `${kind}, ${connections} connection${connections === 1 ? '' : 's'}, upstream ${firstByteMs} ms${saturated}${over}`,
      upstream,
      connections,
      firstByteMs,
      stream,
      chunks: DEFAULT_CHUNKS,
    })
    return [cell(1, 0, ''), cell(50, 50, ''), cell(50, 0, ' (saturated)')]
  }),
)

// Plain HTTP only: what a chunk costs is the proxy's work, whatever carries the bytes.
CELLS.push({
  id: `stream${MANY_CHUNKS}-c50-0ms`,
  title: `stream of ${MANY_CHUNKS} chunks, 50 connections, upstream 0 ms (saturated)`,
  upstream: 'http',
  connections: 50,
  firstByteMs: 0,
  stream: true,
  chunks: MANY_CHUNKS,
})

async function measure(ctx: BenchContext, target: Target, spec: CellSpec, durationSec: number) {
  const before = target.usage()
  const load = await runAutocannon(target, {
    connections: spec.connections,
    durationSec,
    stream: spec.stream,
    ...(ctx.smoke ? { amount: spec.connections * 2 } : {}),
  })
  const after = target.usage()
  const cpuMs = before !== null && after !== null ? after.cpuMs - before.cpuMs : Number.NaN
  return { load, cpuMsPerRequest: load.requests > 0 ? cpuMs / load.requests : Number.NaN }
}

function paired(rounds: LoadResult[], direct: LoadResult[], pick: (r: LoadResult) => number): number[] {
  return rounds.map((r, i) => pick(r) - pick(direct[i]!))
}

export async function runOverhead(ctx: BenchContext): Promise<OverheadCell[]> {
  const cells: OverheadCell[] = []
  // autocannon needs a second per measurement whatever its length, so a smoke run measures one shape.
  const specs = (ctx.smoke ? CELLS.filter((c) => c.id.endsWith('stream-c50-50ms')) : CELLS).filter(
    (c) => (c.upstream === 'http' || ctx.tlsTargets.length > 0) && (ctx.cells?.has(c.id) ?? true),
  )
  for (const spec of specs) {
    const targets = spec.upstream === 'tls' ? ctx.tlsTargets : ctx.targets
    await ctx.fake.configure({ firstByteMs: spec.firstByteMs, chunkGapMs: 0, chunks: spec.chunks })
    if (!ctx.smoke) for (const target of targets) await measure(ctx, target, spec, 1)
    const results = new Map<Target['name'], { load: LoadResult; cpuMsPerRequest: number }[]>()
    for (let r = 0; r < ctx.rounds; r++) {
      for (const target of rotate(targets, r)) {
        const result = await measure(ctx, target, spec, ctx.durationSec)
        results.set(target.name, [...(results.get(target.name) ?? []), result])
      }
    }
    const direct = results.get('direct')!.map((r) => r.load)
    const figures = targets.map((target): TargetFigures => {
      const rounds = results.get(target.name)!
      const loads = rounds.map((r) => r.load)
      const isDirect = target.name === 'direct'
      return {
        target: target.name,
        reqPerSec: spread(loads.map((l) => l.reqPerSec)),
        p50Ms: spread(loads.map((l) => l.p50Ms)),
        p99Ms: spread(loads.map((l) => l.p99Ms)),
        addedP50Ms: isDirect ? null : spread(paired(loads, direct, (l) => l.p50Ms)),
        addedP99Ms: isDirect ? null : spread(paired(loads, direct, (l) => l.p99Ms)),
        throughputVsDirect: isDirect ? null : spread(loads.map((l, i) => l.reqPerSec / direct[i]!.reqPerSec)),
        cpuMsPerRequest: spread(rounds.map((r) => r.cpuMsPerRequest)),
        failures: loads.reduce((sum, l) => sum + l.errors + l.non2xx, 0),
      }
    })
    cells.push({ spec, figures })
    const line = figures
      .map((f) => `${f.target} ${f.reqPerSec.median.toFixed(0)} req/s p50 ${f.p50Ms.median.toFixed(2)} ms`)
      .join(' | ')
    ctx.log(`  ${spec.title}: ${line}`)
  }
  return cells
}
