import { distribution, type Spread, spread } from '../lib/stats.js'
import { keepAliveAgent, timedRequest } from '../load/stream-client.js'
import type { Target } from '../targets/target.js'
import { type BenchContext, rotate } from './context.js'

// Time to first token, one connection per target, requests interleaved across targets (direct,
// SmartSplit, peer, direct, …) so that drift hits all alike. Upstream sends its first frame at once.

export interface TtftFigures {
  target: Target['name']
  p50Ms: Spread
  p99Ms: Spread
  /** Median TTFT minus direct's, paired per round; null for direct. */
  addedP50Ms: Spread | null
  addedP99Ms: Spread | null
  samplesPerRound: number
}

export async function runTtft(ctx: BenchContext): Promise<TtftFigures[]> {
  await ctx.fake.configure({ firstByteMs: 0, chunkGapMs: 0, chunks: 5 })
  const agents = new Map(ctx.targets.map((t) => [t.name, keepAliveAgent(1)]))
  const perRound = ctx.smoke ? 3 : 300
  const sample = async (target: Target): Promise<number> => {
    const timing = await timedRequest(target, agents.get(target.name)!, { stream: true })
    if (timing.status !== 200) throw new Error(`${target.name} answered ${timing.status} to a stream`)
    return timing.ttftMs
  }
  if (!ctx.smoke) for (let i = 0; i < 30; i++) for (const target of ctx.targets) await sample(target)

  const p50 = new Map<Target['name'], number[]>()
  const p99 = new Map<Target['name'], number[]>()
  for (let r = 0; r < ctx.rounds; r++) {
    const samples = new Map<Target['name'], number[]>(ctx.targets.map((t) => [t.name, []]))
    const order = rotate(ctx.targets, r)
    for (let i = 0; i < perRound; i++)
      for (const target of order) samples.get(target.name)!.push(await sample(target))
    for (const [name, values] of samples) {
      const dist = distribution(values)
      p50.set(name, [...(p50.get(name) ?? []), dist.p50])
      p99.set(name, [...(p99.get(name) ?? []), dist.p99])
    }
  }
  for (const agent of agents.values()) agent.destroy()
  const directP50 = p50.get('direct')!
  const directP99 = p99.get('direct')!
  const figures = ctx.targets.map((target): TtftFigures => {
    const own50 = p50.get(target.name)!
    const own99 = p99.get(target.name)!
    const isDirect = target.name === 'direct'
    return {
      target: target.name,
      p50Ms: spread(own50),
      p99Ms: spread(own99),
      addedP50Ms: isDirect ? null : spread(own50.map((v, i) => v - directP50[i]!)),
      addedP99Ms: isDirect ? null : spread(own99.map((v, i) => v - directP99[i]!)),
      samplesPerRound: perRound,
    }
  })
  ctx.log(`  TTFT p50: ${figures.map((f) => `${f.target} ${f.p50Ms.median.toFixed(2)} ms`).join(' | ')}`)
  return figures
}
