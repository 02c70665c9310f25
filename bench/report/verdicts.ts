import { median } from '../lib/stats.js'
import { AFFINITY_TARGET_US } from '../scenarios/affinity.js'
import { FIDELITY_CHUNKS, FIDELITY_FLOWING_AFTER_MS, FIDELITY_GAP_MS } from '../scenarios/fidelity.js'
import type { MemoryFigures } from '../scenarios/memory.js'
import { MULTIPART_TARGET_MS } from '../scenarios/multipart.js'
import type { OverheadCell, TargetFigures } from '../scenarios/overhead.js'
import { routingVerdicts } from './routing-verdicts.js'
import { sharedStateVerdicts } from './shared-state-report.js'
import { type BenchResults, isSkipped, type Verdict } from './types.js'

// The targets, checked against the medians of the run. Pass/miss is informative: benchmarks are
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

// Issue 22's goals, judged on SmartSplit with the defaults users run, against the bare pass-through
// (the floor) and Portkey measured in the same run.
export const GOALS = {
  addedP50AtOneMs: 0.5,
  addedP99AtOneMs: 2,
  addedP50AtFiftyMs: 2,
  addedP50VsPortkey: 0.25,
  cpuMsPerRequest: 0.4,
  gatesOffCpuVsFloor: 1.5,
  throughputVsPortkey: 4,
  throughputVsFloor: 0.4,
  idleRssMb: 70,
  peakRssMb: 140,
  holdBackMs: 250,
} as const

/**
 * The RSS verdicts of one memory run. For the capped-heap run failures count against both: a process
 * that died of heap exhaustion stops growing, which is not flat.
 */
function memoryVerdicts(m: Omit<MemoryFigures, 'cappedHeap'>, flags: string): Verdict[] {
  const failed = flags !== '' && m.failures > 0
  const failures = failed ? `, ${m.failures} failed requests` : ''
  return [
    verdict(
      `idle RSS ≤ ${GOALS.idleRssMb} MB${flags}`,
      `${m.idleRssMb.toFixed(1)} MB`,
      m.idleRssMb <= GOALS.idleRssMb,
    ),
    verdict(
      `peak RSS ≤ ${GOALS.peakRssMb} MB over ${m.requests} requests${flags}`,
      `${m.peakRssMb.toFixed(1)} MB${failures}`,
      m.peakRssMb <= GOALS.peakRssMb && !failed,
    ),
    verdict(
      `RSS flat${flags} (trend ≤ ${FLAT_MB_PER_10K} MB per 10k requests after warm-up)`,
      `${m.growthMbPer10k.toFixed(2)} MB/10k${failures}`,
      m.growthMbPer10k <= FLAT_MB_PER_10K && !failed,
    ),
  ]
}

/** Median over rounds of a/b, paired per round (both measured in the same round). */
function pairedRatio(a: TargetFigures, b: TargetFigures, pick: (x: TargetFigures) => number[]): number {
  const ours = pick(a)
  const theirs = pick(b)
  return median(ours.map((value, i) => value / theirs[i]!))
}

function overheadVerdicts(cells: OverheadCell[]): Verdict[] {
  const out: Verdict[] = []
  for (const upstream of ['http', 'tls'] as const) {
    const prefix = upstream === 'tls' ? 'tls-' : ''
    const over = upstream === 'tls' ? ', upstream over TLS' : ''
    if (!cells.some((c) => c.spec.upstream === upstream)) continue
    for (const kind of ['json', 'stream']) {
      const at = (load: string, name: TargetFigures['target']) =>
        figuresOf(cells, `${prefix}${kind}-${load}`, name)
      const one = at('c1-0ms', 'smartsplit')
      if (one?.addedP50Ms && one.addedP99Ms)
        out.push(
          verdict(
            `${kind}${over}: added p50 ≤ ${GOALS.addedP50AtOneMs} ms at 1 connection`,
            ms(one.addedP50Ms.median),
            one.addedP50Ms.median <= GOALS.addedP50AtOneMs,
          ),
          verdict(
            `${kind}${over}: added p99 ≤ ${GOALS.addedP99AtOneMs} ms at 1 connection`,
            ms(one.addedP99Ms.median),
            one.addedP99Ms.median <= GOALS.addedP99AtOneMs,
          ),
        )
      const fifty = at('c50-50ms', 'smartsplit')
      const fiftyPeer = at('c50-50ms', 'portkey')
      if (fifty?.addedP50Ms) {
        const ours = fifty.addedP50Ms.median
        out.push(
          verdict(
            `${kind}${over}: added p50 ≤ ${GOALS.addedP50AtFiftyMs} ms at 50 connections (upstream 50 ms)`,
            ms(ours),
            ours <= GOALS.addedP50AtFiftyMs,
          ),
        )
        const theirs = fiftyPeer?.addedP50Ms?.median
        out.push(
          theirs === undefined
            ? verdict(
                `${kind}${over}: added p50 ≤ ${GOALS.addedP50VsPortkey}× Portkey's at 50 connections`,
                'Portkey not measured',
                null,
              )
            : verdict(
                `${kind}${over}: added p50 ≤ ${GOALS.addedP50VsPortkey}× Portkey's at 50 connections`,
                `${ms(ours)} vs ${ms(theirs)} (${(ours / theirs).toFixed(2)}×)`,
                ours <= GOALS.addedP50VsPortkey * theirs,
              ),
        )
      }
      const saturated = at('c50-0ms', 'smartsplit')
      const floor = at('c50-0ms', 'passthrough')
      const peer = at('c50-0ms', 'portkey')
      const gatesOff = at('c50-0ms', 'smartsplit-gates-off')
      if (saturated === undefined) continue
      const cpu = saturated.cpuMsPerRequest.median
      out.push(
        verdict(
          `${kind}${over}: CPU per request ≤ ${GOALS.cpuMsPerRequest} ms with the defaults (saturated)`,
          `${cpu.toFixed(3)} ms`,
          cpu <= GOALS.cpuMsPerRequest,
        ),
      )
      if (gatesOff !== undefined && floor !== undefined) {
        const ratio = pairedRatio(gatesOff, floor, (x) => x.cpuMsPerRequest.rounds)
        out.push(
          verdict(
            `${kind}${over}: CPU per request with the gates off ≤ ${GOALS.gatesOffCpuVsFloor}× the bare pass-through's (saturated)`,
            `${gatesOff.cpuMsPerRequest.median.toFixed(3)} vs ${floor.cpuMsPerRequest.median.toFixed(3)} ms (${ratio.toFixed(2)}×)`,
            ratio <= GOALS.gatesOffCpuVsFloor,
          ),
        )
      }
      if (peer !== undefined) {
        const ratio = pairedRatio(saturated, peer, (x) => x.reqPerSec.rounds)
        out.push(
          verdict(
            `${kind}${over}: saturated throughput ≥ ${GOALS.throughputVsPortkey}× Portkey's`,
            `${saturated.reqPerSec.median.toFixed(0)} vs ${peer.reqPerSec.median.toFixed(0)} req/s (${ratio.toFixed(2)}×)`,
            ratio >= GOALS.throughputVsPortkey,
          ),
        )
      }
      if (floor !== undefined) {
        const ratio = pairedRatio(saturated, floor, (x) => x.reqPerSec.rounds)
        out.push(
          verdict(
            `${kind}${over}: saturated throughput ≥ ${GOALS.throughputVsFloor * 100} % of the bare pass-through's`,
            `${saturated.reqPerSec.median.toFixed(0)} vs ${floor.reqPerSec.median.toFixed(0)} req/s (${(ratio * 100).toFixed(0)} %)`,
            ratio >= GOALS.throughputVsFloor,
          ),
        )
      }
    }
  }
  return out
}

export function computeVerdicts(results: Omit<BenchResults, 'verdicts'>): Verdict[] {
  const out: Verdict[] = []
  if (!isSkipped(results.affinity)) {
    const added = results.affinity.planAddedUs.median
    out.push(
      verdict(
        `conversation affinity ≤ ${AFFINITY_TARGET_US / 1000} ms per request (${results.affinity.conversations} conversations)`,
        `${(added / 1000).toFixed(4)} ms`,
        added <= AFFINITY_TARGET_US,
      ),
    )
  }
  if (!isSkipped(results.overhead)) out.push(...overheadVerdicts(results.overhead))
  if (!isSkipped(results.sharedState)) out.push(...sharedStateVerdicts(results.sharedState))
  if (!isSkipped(results.ttft)) {
    const added = results.ttft.find((f) => f.target === 'smartsplit')?.addedP50Ms
    if (added)
      out.push(verdict('added time to first token ≤ 1 ms (p50)', ms(added.median), added.median <= 1))
  }
  if (!isSkipped(results.fidelity)) {
    const smart = results.fidelity.find((f) => f.target === 'smartsplit')
    const direct = results.fidelity.find((f) => f.target === 'direct')
    if (smart && direct) {
      const share = (x: number): string => `${(x * 100).toFixed(1)} %`
      const ok =
        smart.framesPerStream === FIDELITY_CHUNKS &&
        smart.flowingCoalescedShare <= Math.max(0.02, direct.flowingCoalescedShare + 0.02)
      out.push(
        verdict(
          `no batching of chunks after the quality gate's opening (${FIDELITY_CHUNKS} chunks ${FIDELITY_GAP_MS} ms apart, those sent after ${FIDELITY_FLOWING_AFTER_MS} ms)`,
          `${share(smart.flowingCoalescedShare)} coalesced (direct ${share(direct.flowingCoalescedShare)}); whole stream: gap p50 ${ms(smart.gaps.p50)}, ${share(smart.coalescedShare)}`,
          ok,
        ),
      )
    }
  }
  if (!isSkipped(results.memory)) {
    out.push(...memoryVerdicts(results.memory, ''))
    const capped = results.memory.cappedHeap
    // Informational: the default run's verdicts above are the ones the targets are about.
    if (capped !== undefined) out.push(...memoryVerdicts(capped, ` with ${capped.nodeFlags.join(' ')}`))
  }
  if (!isSkipped(results.analyzer)) {
    const p99 = results.analyzer.agent.p99
    out.push(verdict('analyzer p99 ≤ 1 ms on the 30 KB agent body', `${p99.toFixed(3)} ms`, p99 <= 1))
  } else out.push(verdict('analyzer p99 ≤ 1 ms on the 30 KB agent body', results.analyzer.note, null))
  if (!isSkipped(results.multiPart)) {
    for (const m of results.multiPart.modes) {
      const over = m.overheadMs.median
      out.push(
        verdict(
          `multi-part (${m.mode === 'json' ? 'JSON' : 'streamed'}): wall time ≤ slowest part + synthesis + ${MULTIPART_TARGET_MS} ms`,
          `${ms(m.wallMs.median)} = ${ms(m.slowestPartMs.median)} + ${ms(m.synthesisMs.median)} ${over >= 0 ? '+' : '−'} ${ms(Math.abs(over))}`,
          over <= MULTIPART_TARGET_MS,
        ),
      )
    }
  } else
    out.push(
      verdict(
        `multi-part wall time ≤ slowest part + synthesis + ${MULTIPART_TARGET_MS} ms`,
        results.multiPart.note,
        null,
      ),
    )
  out.push(...reliabilityVerdicts(results))
  if (!isSkipped(results.routing)) out.push(...routingVerdicts(results.routing))
  return out
}

function reliabilityVerdicts(results: Omit<BenchResults, 'verdicts'>): Verdict[] {
  const out: Verdict[] = []
  if (!isSkipped(results.freeTier)) {
    for (const run of results.freeTier) {
      const how = run.declaredLimits ? 'limits declared' : 'limits learned from 429s'
      const pct = (value: number) => `${(value * 100).toFixed(1)} %`
      out.push(
        verdict(
          `free tier ×${run.providers} (${how}): ≥ 95 % of summed capacity served`,
          pct(run.servedShare),
          run.servedShare >= 0.95,
        ),
        verdict(
          `free tier ×${run.providers} (${how}): 0 errors while capacity is left`,
          `${run.avoidableErrors} (+${run.withinAnnouncedWait} inside a provider's rounded-up Retry-After)`,
          run.avoidableErrors === 0,
        ),
        verdict(
          `free tier ×${run.providers} (${how}): every refusal a 429 with a correct Retry-After`,
          `${run.correctRefusals}/${run.refusals}`,
          run.correctRefusals === run.refusals,
        ),
      )
    }
  }
  if (!isSkipped(results.freeTierPools)) {
    const shared = results.freeTierPools.find((run) => run.pools === 'shared (default)')
    if (shared !== undefined) {
      out.push(
        verdict(
          'quota pools: 2 keys of one OpenRouter account, 0 upstream 429s from over-counting',
          String(shared.upstream429s),
          shared.upstream429s === 0,
        ),
        verdict(
          "quota pools: the account's capacity served",
          `${shared.served}/${shared.capacity}`,
          shared.served >= shared.capacity,
        ),
      )
    }
  }
  if (!isSkipped(results.learning)) {
    const l = results.learning
    out.push(
      verdict(
        'learning: regret ≤ 1.2× the best-fixed-provider oracle',
        `${l.ratio.toFixed(2)}×`,
        l.ratio <= 1.2,
      ),
      verdict(
        'learning: change detected within 200 requests',
        l.requestsToDetect === null ? 'not detected' : `${l.requestsToDetect} requests`,
        l.requestsToDetect !== null && l.requestsToDetect <= 200,
      ),
    )
  }
  if (!isSkipped(results.holdBack)) {
    for (const h of results.holdBack)
      out.push(
        verdict(
          `quality-gate hold-back ≤ ${GOALS.holdBackMs} ms added to the first token (${h.stream} stream)`,
          ms(h.addedMs),
          h.addedMs <= GOALS.holdBackMs,
        ),
      )
  }
  return out
}
