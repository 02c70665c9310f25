import { type Distribution, distribution } from '../lib/stats.js'
import { keepAliveAgent, timedRequest } from '../load/stream-client.js'
import type { Target } from '../targets/target.js'
import type { BenchContext } from './context.js'

// Streaming fidelity: upstream sends 60 content chunks 10 ms apart; the client timestamps each one. A
// proxy that forwards as it receives shows ~10 ms gaps; one that batches shows near-0 gaps followed by
// longer ones. A gap under 3 ms means two chunks arrived together (coalesced). SmartSplit's quality gate
// holds a stream's opening back (500 ms at most, by design, measured in the hold-back scenario), so the
// chunks it releases together are expected; the verdict judges the chunks sent after that window.

export const FIDELITY_CHUNKS = 60
export const FIDELITY_GAP_MS = 10
/** The quality gate's longest hold-back: chunks the upstream sends after it must flow one by one. */
export const FIDELITY_FLOWING_AFTER_MS = 500
const COALESCED_BELOW_MS = 3

export interface FidelityFigures {
  target: Target['name']
  streams: number
  /** Content frames received per stream (should be 20). */
  framesPerStream: number
  gaps: Distribution
  /** Share of gaps under 3 ms: chunks that arrived together. */
  coalescedShare: number
  /** The same share among the chunks the upstream sent after FIDELITY_FLOWING_AFTER_MS. */
  flowingCoalescedShare: number
  /** How long the 20 chunks took to arrive, first to last (ms, median over streams). */
  spanMs: number
}

export async function runFidelity(ctx: BenchContext): Promise<FidelityFigures[]> {
  await ctx.fake.configure({ firstByteMs: 0, chunkGapMs: FIDELITY_GAP_MS, chunks: FIDELITY_CHUNKS })
  const streams = ctx.smoke ? 1 : 30
  const figures: FidelityFigures[] = []
  for (const target of ctx.targets) {
    const agent = keepAliveAgent(1)
    const gaps: number[] = []
    const flowingGaps: number[] = []
    const firstFlowing = Math.ceil(FIDELITY_FLOWING_AFTER_MS / FIDELITY_GAP_MS) + 1
    const spans: number[] = []
    let frames = 0
    for (let s = 0; s < streams; s++) {
      const timing = await timedRequest(target, agent, { stream: true })
      const times = timing.frameTimesMs
      frames += times.length
      for (let i = 1; i < times.length; i++) {
        gaps.push(times[i]! - times[i - 1]!)
        if (i >= firstFlowing) flowingGaps.push(times[i]! - times[i - 1]!)
      }
      if (times.length > 1) spans.push(times[times.length - 1]! - times[0]!)
    }
    agent.destroy()
    const gapDist = distribution(gaps)
    figures.push({
      target: target.name,
      streams,
      framesPerStream: frames / streams,
      gaps: gapDist,
      coalescedShare: coalescedShareOf(gaps),
      flowingCoalescedShare: coalescedShareOf(flowingGaps),
      spanMs: distribution(spans).p50,
    })
  }
  ctx.log(
    `  gaps p50 (coalesced, after ${FIDELITY_FLOWING_AFTER_MS} ms): ${figures.map((f) => `${f.target} ${f.gaps.p50.toFixed(1)} ms (${(f.coalescedShare * 100).toFixed(1)}%, ${(f.flowingCoalescedShare * 100).toFixed(1)}%)`).join(' | ')}`,
  )
  return figures
}

function coalescedShareOf(gaps: readonly number[]): number {
  return gaps.length === 0 ? Number.NaN : gaps.filter((g) => g < COALESCED_BELOW_MS).length / gaps.length
}
