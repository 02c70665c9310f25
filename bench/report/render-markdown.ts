import { median, type Spread } from '../lib/stats.js'
import { FIDELITY_CHUNKS, FIDELITY_FLOWING_AFTER_MS, FIDELITY_GAP_MS } from '../scenarios/fidelity.js'
import type { MemoryFigures } from '../scenarios/memory.js'
import { renderRouting } from './render-routing.js'
import { renderSharedState } from './shared-state-report.js'
import { type BenchResults, isSkipped } from './types.js'

// BENCHMARKS.md's benchmark section: what ran where, the verdicts, then one table per scenario.
// Medians over rounds with [min–max] across rounds; "added" figures are paired per round.

const f = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '—')
const s = (value: Spread | null, digits = 2): string =>
  value === null ? '—' : `${f(value.median, digits)} [${f(value.min, digits)}–${f(value.max, digits)}]`
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`
const header = (cells: string[]): string => `${row(cells)}\n${row(cells.map(() => '---'))}`

function environment(r: BenchResults): string {
  const e = r.environment
  const lines = [
    `Measured ${e.date} on ${e.cores} cores (${e.cpuModel}), Node ${e.node}, ${e.platform}; load average at start ${e.loadAverage.map((v) => v.toFixed(2)).join(' / ')}.`,
    `${e.rounds} rounds of ${e.durationSec} s per figure, targets alternating (each round starts with a different one); load generator autocannon 8.0.0 plus a small timing client for TTFT and chunk gaps.`,
    'The load generator, the fake upstream and the proxy run as three processes on the same cores (other work on the machine shares them too): ratios and added figures matter more than absolutes.',
    '',
    header(['compared', 'version', 'how it ran']),
    ...e.compared.map((c) => row([c.name, c.version, c.label])),
  ]
  if (r.fakeUpstream !== null)
    lines.push(
      '',
      `Fake upstream capacity: ${f(r.fakeUpstream.directJsonReqPerSec, 0)} req/s called directly (JSON, 50 connections) at ${f(r.fakeUpstream.fakeCpuMsPerRequest, 3)} ms CPU per request, far above what any proxy reaches here: it is not the bottleneck.`,
    )
  return lines.join('\n')
}

function verdicts(r: BenchResults): string {
  const mark = { pass: '✅ pass', miss: '❌ miss', 'n/a': '— n/a' }
  return [
    header(['target', 'measured', 'verdict']),
    ...r.verdicts.map((v) => row([v.target, v.measured, mark[v.status]])),
  ].join('\n')
}

/** a/b per round, then the median: both measured in the same round. */
function pairedMedian(a: Spread | null | undefined, b: Spread | null | undefined): number {
  if (a === null || a === undefined || b === null || b === undefined) return Number.NaN
  return median(a.rounds.map((value, i) => value / b.rounds[i]!))
}

function overhead(r: BenchResults): string {
  if (isSkipped(r.overhead)) return `Skipped: ${r.overhead.note}`
  const lines = [
    header([
      'load',
      'target',
      'req/s',
      'p50 ms',
      'p99 ms',
      'added p50 ms',
      'added p99 ms',
      '% of direct req/s',
      'req/s ÷ floor',
      'added p50 ÷ Portkey',
      'CPU ms/req',
    ]),
  ]
  for (const cell of r.overhead) {
    const floor = cell.figures.find((x) => x.target === 'passthrough')
    const peer = cell.figures.find((x) => x.target === 'portkey')
    for (const x of cell.figures) {
      const share = x.throughputVsDirect === null ? '—' : `${f(x.throughputVsDirect.median * 100, 0)} %`
      const isProxy = x.target !== 'direct'
      lines.push(
        row([
          cell.spec.title,
          x.target,
          s(x.reqPerSec, 0),
          s(x.p50Ms),
          s(x.p99Ms),
          s(x.addedP50Ms),
          s(x.addedP99Ms),
          share,
          isProxy ? `${f(pairedMedian(x.reqPerSec, floor?.reqPerSec))}×` : '—',
          isProxy ? `${f(pairedMedian(x.addedP50Ms, peer?.addedP50Ms))}×` : '—',
          f(x.cpuMsPerRequest.median, 3),
        ]),
      )
    }
  }
  lines.push(
    '',
    "Streamed responses: 5 content chunks back to back (100 in the one cell that says so, as real providers send about a token per chunk); latency is until the last byte. CPU ms/req is the target process's own CPU time (for direct, the fake's). Over TLS the proxies reach the fake through TLS (HTTP/1.1, or HTTP/2 where the client offers it) while direct stays plain HTTP, so the added figures include the TLS hop. Ratios are paired per round, then the median; an added p50 near zero makes its ratio meaningless.",
  )
  return lines.join('\n')
}

function ttft(r: BenchResults): string {
  if (isSkipped(r.ttft)) return `Skipped: ${r.ttft.note}`
  const n = r.ttft[0]?.samplesPerRound ?? 0
  return [
    `One connection per target, ${n} streams per target per round, interleaved; upstream sends its first chunk at once.`,
    '',
    header(['target', 'TTFT p50 ms', 'TTFT p99 ms', 'added p50 ms', 'added p99 ms']),
    ...r.ttft.map((x) =>
      row([x.target, s(x.p50Ms, 3), s(x.p99Ms, 3), s(x.addedP50Ms, 3), s(x.addedP99Ms, 3)]),
    ),
  ].join('\n')
}

function fidelity(r: BenchResults): string {
  if (isSkipped(r.fidelity)) return `Skipped: ${r.fidelity.note}`
  return [
    `Upstream sends ${FIDELITY_CHUNKS} content chunks ${FIDELITY_GAP_MS} ms apart; the client timestamps each. A gap under 3 ms means two chunks arrived together. The quality gate holds a stream's opening back (500 ms at most), so the last column counts only the chunks sent after ${FIDELITY_FLOWING_AFTER_MS} ms.`,
    '',
    header([
      'target',
      'streams',
      'chunks seen per stream',
      'gap p50 ms',
      'gap p99 ms',
      'gap min–max ms',
      'coalesced',
      'first→last chunk ms',
      `coalesced after ${FIDELITY_FLOWING_AFTER_MS} ms`,
    ]),
    ...r.fidelity.map((x) =>
      row([
        x.target,
        String(x.streams),
        f(x.framesPerStream, 1),
        f(x.gaps.p50),
        f(x.gaps.p99),
        `${f(x.gaps.min)}–${f(x.gaps.max)}`,
        `${f(x.coalescedShare * 100, 1)} %`,
        f(x.spanMs, 1),
        `${f(x.flowingCoalescedShare * 100, 1)} %`,
      ]),
    ),
  ].join('\n')
}

function memory(r: BenchResults): string {
  if (isSkipped(r.memory)) return `Skipped: ${r.memory.note}`
  const m = r.memory
  const runs: [string, Omit<MemoryFigures, 'cappedHeap'>][] = [['—', m]]
  if (m.cappedHeap !== undefined) runs.push([`\`${m.cappedHeap.nodeFlags.join(' ')}\``, m.cappedHeap])
  return [
    `A fresh SmartSplit, ${m.requests} requests from ${m.concurrency} clients: half JSON, half streamed (8 chunks 1 ms apart), one in ten hanging up after the first chunk. RSS and CPU are SmartSplit's process only. Measured twice, each time on a fresh process: with Node's defaults, then with V8's old space capped.`,
    '',
    header([
      'node flags',
      'requests',
      'req/s',
      'failures',
      'client hang-ups',
      'upstream streams cut',
      'idle RSS MB',
      'steady RSS MB',
      'peak RSS MB',
      'growth MB/10k',
      'RSS after 2 s idle MB',
      'CPU s/1k req',
    ]),
    ...runs.map(([flags, x]) =>
      row([
        flags,
        String(x.requests),
        f(x.reqPerSec, 0),
        String(x.failures),
        String(x.clientAborts),
        String(x.upstreamAborts),
        f(x.idleRssMb, 1),
        f(x.steadyRssMb, 1),
        f(x.peakRssMb, 1),
        f(x.growthMbPer10k, 2),
        f(x.rssAfterIdleMb, 1),
        f(x.cpuSecondsPer1k, 3),
      ]),
    ),
    '',
    m.cappedHeap === undefined
      ? 'The capped-heap run needs SmartSplit in its own process and was not measured.'
      : "The capped row tells the default growth apart: memory SmartSplit retains would grow there too (or exhaust the capped heap and crash), while RSS that stays flat under the cap means the default run's growth is V8 sizing its heap to the load and collecting old space lazily.",
  ].join('\n')
}

function analyzer(r: BenchResults): string {
  if (isSkipped(r.analyzer)) return `Skipped: ${r.analyzer.note}`
  const a = r.analyzer
  return [
    header(['input', 'runs', 'p50 ms', 'p99 ms', 'max ms']),
    row(['10 short prompts', String(a.small.n), f(a.small.p50, 4), f(a.small.p99, 4), f(a.small.max, 3)]),
    row([
      `agent body ${f(a.agent.bodyBytes / 1024, 1)} KB, ${a.agent.tools} tools`,
      String(a.agent.n),
      f(a.agent.p50, 4),
      f(a.agent.p99, 4),
      f(a.agent.max, 3),
    ]),
  ].join('\n')
}

function multiPart(r: BenchResults): string {
  if (isSkipped(r.multiPart)) return `Skipped: ${r.multiPart.note}.`
  const m = r.multiPart
  const parts = m.parts.map((p) => `${p.label} ${p.firstByteMs} ms`).join(', ')
  return [
    `The three-part prompt of the e2e test, SmartSplit in-process (planner local, quality gates off) in front of four fake providers in the same process: latency before the first byte ${parts}, synthesis ${m.synthesisFirstByteMs} ms. Answered by: ${m.subtasks || '—'}.`,
    'Part and synthesis latencies are as the fakes saw them (request arrival → response end); overhead = wall − (slowest part + synthesis), paired per round, split into before the slowest part reached its fake, between the last part and the synthesis, and after the synthesis (relay to the client). Median [min–max] over rounds.',
    '',
    header([
      'mode',
      'rounds',
      'wall ms',
      'slowest part ms',
      'synthesis ms',
      'overhead ms',
      'before parts ms',
      'between ms',
      'after synthesis ms',
    ]),
    ...m.modes.map((x) =>
      row([
        x.mode === 'json' ? 'JSON' : 'streamed',
        String(x.rounds),
        s(x.wallMs, 1),
        s(x.slowestPartMs, 1),
        s(x.synthesisMs, 1),
        s(x.overheadMs),
        s(x.beforeSlowestPartMs),
        s(x.betweenMs),
        s(x.afterSynthesisMs),
      ]),
    ),
  ].join('\n')
}

function freeTier(r: BenchResults): string {
  if (isSkipped(r.freeTier)) return `Skipped: ${r.freeTier.note}`
  return [
    header([
      'limits',
      'providers',
      'simulated min',
      'requests',
      'capacity',
      'served',
      'avoidable errors',
      'inside rounded Retry-After',
      'refusals: correct 429',
      'upstream 429s',
    ]),
    ...r.freeTier.map((t) =>
      row([
        t.declaredLimits ? 'declared in config' : 'learned from 429s',
        String(t.providers),
        String(t.simulatedMinutes),
        String(t.requests),
        String(t.capacity),
        `${t.served} (${f(t.servedShare * 100, 1)} %)`,
        String(t.avoidableErrors),
        String(t.withinAnnouncedWait),
        `${t.correctRefusals}/${t.refusals}`,
        String(t.upstream429s),
      ]),
    ),
  ].join('\n')
}

function freeTierPools(r: BenchResults): string {
  if (isSkipped(r.freeTierPools)) return `Skipped: ${r.freeTierPools.note}`
  return [
    header([
      'keys of one account',
      'keys',
      'simulated min',
      'requests',
      'capacity',
      'served',
      'upstream 429s',
    ]),
    ...r.freeTierPools.map((t) =>
      row([
        t.pools,
        String(t.keys),
        String(t.simulatedMinutes),
        String(t.requests),
        String(t.capacity),
        String(t.served),
        String(t.upstream429s),
      ]),
    ),
  ].join('\n')
}

function learning(r: BenchResults): string {
  if (isSkipped(r.learning)) return `Skipped: ${r.learning.note}`
  const l = r.learning
  return [
    header([
      'requests',
      'change at',
      'regret SmartSplit',
      'regret fixed oracle',
      'ratio',
      'table only',
      'change detected after',
    ]),
    row([
      String(l.requests),
      String(l.changeAt),
      f(l.regret.smartsplit, 1),
      f(l.regret.fixedOracle, 1),
      `${f(l.ratio, 2)}×`,
      f(l.regret.tableOnly, 1),
      l.requestsToDetect === null ? 'never' : `${l.requestsToDetect} requests`,
    ]),
  ].join('\n')
}

function holdBack(r: BenchResults): string {
  if (isSkipped(r.holdBack)) return `Skipped: ${r.holdBack.note}`
  return [
    header(['stream', 'rounds', 'first token, gates off (ms)', 'gates on (ms)', 'added (ms)']),
    ...r.holdBack.map((h) =>
      row([
        `${h.stream}: ${h.description}`,
        String(h.rounds),
        f(h.ttftOffMs, 1),
        f(h.ttftOnMs, 1),
        f(h.addedMs, 1),
      ]),
    ),
  ].join('\n')
}

function affinity(r: BenchResults): string {
  if (isSkipped(r.affinity)) return `Skipped: ${r.affinity.note}`
  const a = r.affinity
  const us = (s: { median: number; min: number; max: number }) =>
    `${s.median.toFixed(1)} µs (${s.min.toFixed(1)}–${s.max.toFixed(1)})`
  return [
    `${a.conversations} coding-agent conversations interleaved (${(a.bodyBytes / 1000).toFixed(0)} KB turns), ${a.requestsPerRound} requests per round, ${a.rounds} rounds; median (min–max).`,
    '',
    '| figure | per request |',
    '|---|---|',
    `| plan() and the pin's write, affinity off | ${us(a.planOffUs)} |`,
    `| added by affinity, conversation recognized by its fingerprint | ${us(a.planAddedUs)} |`,
    `| added by affinity, conversation named by a header | ${us(a.planAddedHeaderUs)} |`,
    `| the affinity functions alone (fingerprint) | ${us(a.pathUs)} |`,
  ].join('\n')
}

export function renderMarkdown(r: BenchResults): string {
  return [
    '## Proxy overhead, streaming, memory (`npm run bench`)',
    '',
    environment(r),
    '',
    '### Targets',
    '',
    verdicts(r),
    '',
    '### Overhead (autocannon)',
    '',
    overhead(r),
    '',
    '### Time to first token',
    '',
    ttft(r),
    '',
    '### Streaming fidelity',
    '',
    fidelity(r),
    '',
    '### Memory and CPU',
    '',
    memory(r),
    '',
    '### Analyzer',
    '',
    analyzer(r),
    '',
    '### Multi-part',
    '',
    multiPart(r),
    '',
    '### Free-tier multiplication (429s enforced by the fakes, ManualClock)',
    '',
    freeTier(r),
    '',
    '### Quota pools: two OpenRouter keys of one account (429s enforced by the fake, ManualClock)',
    '',
    freeTierPools(r),
    '',
    '### Learning regret (simulation: real Bandit + rankCandidates)',
    '',
    learning(r),
    '',
    '### Quality-gate hold-back',
    '',
    holdBack(r),
    '',
    '### Conversation affinity (in process, real clock)',
    '',
    affinity(r),
    '',
    '### Several instances: shared state on Redis, --workers 2',
    '',
    isSkipped(r.sharedState) ? `Skipped: ${r.sharedState.note}` : renderSharedState(r.sharedState),
    '',
    '### Routing value (replay: real analyzer and router, outcomes simulated from published rates, ManualClock)',
    '',
    isSkipped(r.routing) ? `Skipped: ${r.routing.note}` : renderRouting(r.routing),
    ...(r.environment.notes.length > 0
      ? ['', '### Notes', '', ...r.environment.notes.map((n) => `- ${n}`)]
      : []),
  ].join('\n')
}
