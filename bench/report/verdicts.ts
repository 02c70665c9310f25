import type { OverheadCell, TargetFigures } from '../scenarios/overhead.js'
import { type BenchResults, isSkipped, type Verdict } from './types.js'

// The issue's targets, checked against the medians of the run. Pass/miss is informative: benchmarks are
// not tests, and a loaded machine can miss a target that a quiet one meets.

export const FLAT_MB_PER_10K = 0.5

const ms = (value: number): string => `${value.toFixed(2)} ms`
const verdict = (target: string, measured: string, ok: boolean | null): Verdict => ({
  target,
  measured,
  status: ok === null ? 'n/a' : ok ? 'pass' : 'miss',
})

function figuresOf(
  cells: OverheadCell[],
  id: string,
  name: TargetFigures['target'],
): TargetFigures | undefined {
  return cells.find((c) => c.spec.id === id)?.figures.find((f) => f.target === name)
}

function overheadVerdicts(cells: OverheadCell[]): Verdict[] {
  const out: Verdict[] = []
  for (const kind of ['json', 'stream']) {
    const smart = figuresOf(cells, `${kind}-c50-50ms`, 'smartsplit')
    const peer = figuresOf(cells, `${kind}-c50-50ms`, 'portkey')
    const saturated = figuresOf(cells, `${kind}-c50-0ms`, 'smartsplit')
    if (smart?.addedP50Ms && smart.addedP99Ms) {
      out.push(
        verdict(
          `${kind}: added p50 ≤ 0.5 ms at 50 connections`,
          ms(smart.addedP50Ms.median),
          smart.addedP50Ms.median <= 0.5,
        ),
      )
      out.push(
        verdict(
          `${kind}: added p99 ≤ 3 ms at 50 connections`,
          ms(smart.addedP99Ms.median),
          smart.addedP99Ms.median <= 3,
        ),
      )
    }
    if (saturated?.throughputVsDirect) {
      const ratio = saturated.throughputVsDirect.median
      out.push(
        verdict(
          `${kind}: throughput ≥ 70 % of direct (50 connections, saturated)`,
          `${(ratio * 100).toFixed(0)} %`,
          ratio >= 0.7,
        ),
      )
    }
    if (smart?.addedP50Ms && peer?.addedP50Ms) {
      const ours = smart.addedP50Ms.median
      const theirs = peer.addedP50Ms.median
      const ratio = ours <= 0 ? Number.POSITIVE_INFINITY : theirs / ours
      out.push(
        verdict(
          `${kind}: added p50 at least 2× lower than Portkey's (50 connections)`,
          `${ms(ours)} vs ${ms(theirs)} (${Number.isFinite(ratio) ? `${ratio.toFixed(1)}×` : 'ours ≤ 0'})`,
          ratio >= 2,
        ),
      )
    } else
      out.push(verdict(`${kind}: added p50 at least 2× lower than the peer's`, 'peer not measured', null))
  }
  return out
}

export function computeVerdicts(results: Omit<BenchResults, 'verdicts'>): Verdict[] {
  const out: Verdict[] = []
  if (!isSkipped(results.overhead)) out.push(...overheadVerdicts(results.overhead))
  if (!isSkipped(results.ttft)) {
    const added = results.ttft.find((f) => f.target === 'smartsplit')?.addedP50Ms
    if (added)
      out.push(verdict('added time to first token ≤ 1 ms (p50)', ms(added.median), added.median <= 1))
  }
  if (!isSkipped(results.fidelity)) {
    const smart = results.fidelity.find((f) => f.target === 'smartsplit')
    const direct = results.fidelity.find((f) => f.target === 'direct')
    if (smart && direct) {
      const ok =
        smart.framesPerStream === 20 && smart.coalescedShare <= Math.max(0.02, direct.coalescedShare + 0.02)
      out.push(
        verdict(
          'no batching of chunks (20 chunks 10 ms apart)',
          `gap p50 ${ms(smart.gaps.p50)}, ${(smart.coalescedShare * 100).toFixed(1)} % coalesced (direct ${(direct.coalescedShare * 100).toFixed(1)} %)`,
          ok,
        ),
      )
    }
  }
  if (!isSkipped(results.memory)) {
    const m = results.memory
    out.push(
      verdict(
        `RSS ≤ 100 MB over ${m.requests} requests (peak)`,
        `${m.peakRssMb.toFixed(1)} MB`,
        m.peakRssMb <= 100,
      ),
    )
    out.push(
      verdict(
        `RSS flat (trend ≤ ${FLAT_MB_PER_10K} MB per 10k requests after warm-up)`,
        `${m.growthMbPer10k.toFixed(2)} MB/10k`,
        m.growthMbPer10k <= FLAT_MB_PER_10K,
      ),
    )
  }
  if (!isSkipped(results.analyzer)) {
    const p99 = results.analyzer.agent.p99
    out.push(verdict('analyzer p99 ≤ 1 ms on the 30 KB agent body', `${p99.toFixed(3)} ms`, p99 <= 1))
  } else out.push(verdict('analyzer p99 ≤ 1 ms on the 30 KB agent body', results.analyzer.note, null))
  out.push(verdict('multi-part wall time ≤ slowest part + synthesis + 10 ms', results.multiPart.note, null))
  return out
}
