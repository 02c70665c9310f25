import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSmartSplit } from '../../test/support/start-smartsplit.js'
import { UNLIMITED } from '../../test/support/unlimited.js'
import {
  startTimedUpstream,
  type TimedCall,
  type TimedShape,
  type TimedUpstream,
} from '../fake/timed-upstream.js'
import { type Spread, spread } from '../lib/stats.js'
import type { BenchContext, Skipped } from './context.js'

// Multi-part (issue 8): wall time of a three-part prompt vs the slowest part + synthesis (target: ≤ that
// + 10 ms). Four fake providers in this process, each answering a part after its own latency before the
// first byte (told apart by the part named in the request) and the synthesis after another; SmartSplit
// in-process (planner local, quality gates off), on the real clock. Per round and per mode (JSON,
// streamed), the client's wall time is set against the slowest part's and the synthesis' own latencies as
// the fakes saw them (request arrival → response end); the overhead is the rest, split into before the
// slowest part reached its fake, between the last part's end and the synthesis' arrival, and after the synthesis ended.

export const THREE_PARTS =
  "Write a Python function that parses CSV files. Then explain why the bat-and-ball puzzle answer is 5 cents, not 10. Finally translate 'good morning, team' into Spanish."
const WARM_UP = THREE_PARTS.replace('CSV', 'TSV')
const SYNTHESIS_MARK = 'answered separately by specialist models'
export const MULTIPART_TARGET_MS = 10

/** Latency before the first byte per part, matched against the part text the request says to answer. */
const PARTS = [
  { label: 'code', match: 'Python function', firstByteMs: 250 },
  { label: 'reasoning', match: 'bat-and-ball', firstByteMs: 350 },
  { label: 'translation', match: 'good morning', firstByteMs: 150 },
] as const
const SYNTHESIS_MS = 100
const NAMES = ['cerebras', 'openrouter', 'mistral', 'groq'] as const

export interface MultiPartModeFigures {
  mode: 'json' | 'stream'
  rounds: number
  /** Client: request sent → last byte received. */
  wallMs: Spread
  /** The slowest part at its fake: request arrival → response end. */
  slowestPartMs: Spread
  /** The synthesis at its fake: request arrival → response end. */
  synthesisMs: Spread
  /** wall − (slowest part + synthesis), paired per round. */
  overheadMs: Spread
  /** Request sent → the slowest part's request at its fake (analysis, planning, dispatch). */
  beforeSlowestPartMs: Spread
  /** The last part's response end → the synthesis request at its fake (collect, build, dispatch). */
  betweenMs: Spread
  /** The synthesis' response end → last byte at the client (relay). */
  afterSynthesisMs: Spread
}

export interface MultiPartFigures {
  parts: { label: string; firstByteMs: number }[]
  synthesisFirstByteMs: number
  /** SmartSplit's x-smartsplit-subtasks header: which provider answered which part. */
  subtasks: string
  modes: MultiPartModeFigures[]
}

export function multiPartWired(root: string): boolean {
  const dir = join(root, 'src', 'pipeline')
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue
    if (/[\\/](analyze|plan)$/.test(entry.parentPath)) continue
    if (/synthes/i.test(readFileSync(join(entry.parentPath, entry.name), 'utf8'))) return true
  }
  return false
}

function pick(body: Record<string, unknown>): TimedShape {
  const messages = JSON.stringify(body.messages)
  if (messages.includes(SYNTHESIS_MARK))
    return {
      label: 'synthesis',
      firstByteMs: SYNTHESIS_MS,
      text: 'SYNTHESIZED: the three parts, joined.',
    }
  const asked = /Answer only this part now: \\"([^\\]*)/.exec(messages)?.[1] ?? ''
  const part = PARTS.find((p) => asked.includes(p.match))
  if (part === undefined) return { label: 'unexpected', firstByteMs: 0, text: 'An unexpected call.' }
  return { label: part.label, firstByteMs: part.firstByteMs, text: `The ${part.label} part, answered.` }
}

interface RoundSample {
  wallMs: number
  slowestPartMs: number
  synthesisMs: number
  beforeSlowestPartMs: number
  betweenMs: number
  afterSynthesisMs: number
  subtasks: string
}

async function oneRequest(
  baseURL: string,
  fakes: readonly TimedUpstream[],
  stream: boolean,
  content: string,
): Promise<RoundSample> {
  for (const fake of fakes) fake.calls.length = 0
  const startedMs = performance.now()
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', stream, messages: [{ role: 'user', content }] }),
  })
  const text = await response.text()
  const endedMs = performance.now()
  if (response.status !== 200) throw new Error(`answered ${response.status}: ${text.slice(0, 200)}`)
  if (!text.includes('SYNTHESIZED')) throw new Error(`the answer is not the synthesis: ${text.slice(0, 200)}`)
  const calls: TimedCall[] = fakes.flatMap((fake) => fake.calls)
  const labels = calls.map((c) => c.label).sort()
  const expected = [...PARTS.map((p) => p.label), 'synthesis'].sort()
  if (labels.join() !== expected.join())
    throw new Error(`upstream calls were [${labels.join(', ')}], expected [${expected.join(', ')}]`)
  const parts = calls.filter((c) => c.label !== 'synthesis')
  const synthesis = calls.find((c) => c.label === 'synthesis')!
  const slowest = parts.reduce((a, b) => (b.endedMs - b.arrivedMs > a.endedMs - a.arrivedMs ? b : a))
  const lastPartEndMs = Math.max(...parts.map((p) => p.endedMs))
  return {
    wallMs: endedMs - startedMs,
    slowestPartMs: slowest.endedMs - slowest.arrivedMs,
    synthesisMs: synthesis.endedMs - synthesis.arrivedMs,
    beforeSlowestPartMs: slowest.arrivedMs - startedMs,
    betweenMs: synthesis.arrivedMs - lastPartEndMs,
    afterSynthesisMs: endedMs - synthesis.endedMs,
    subtasks: response.headers.get('x-smartsplit-subtasks') ?? '',
  }
}

export async function runMultiPart(ctx: BenchContext): Promise<MultiPartFigures | Skipped> {
  // In-process: what runs is the work tree's src/, whatever --ref or --server says.
  if (!multiPartWired(ctx.root))
    return {
      skipped: true,
      note: 'multi-part execution (parts run in parallel, then a synthesis) is not in the pipeline yet',
    }
  const rounds = ctx.smoke ? 1 : 2 * ctx.rounds
  const fakes: TimedUpstream[] = []
  for (const _ of NAMES) fakes.push(await startTimedUpstream(pick))
  const smartsplit = await startSmartSplit({
    free_llm_priority: [...NAMES],
    planner: 'local',
    quality_gates: false,
    providers: Object.fromEntries(
      NAMES.map((name, index) => [
        name,
        { base_url: fakes[index]!.url, api_key: `${name}-bench-key-000001`, limits: UNLIMITED },
      ]),
    ),
  })
  const samples = { json: [] as RoundSample[], stream: [] as RoundSample[] }
  try {
    // Warm-up: connections to every fake, lazy modules, JIT; another prompt so nothing is reused.
    for (const stream of [false, true]) await oneRequest(smartsplit.baseURL, fakes, stream, WARM_UP)
    for (let round = 0; round < rounds; round++) {
      // Alternate which mode goes first, so neither always runs right after the other.
      const order = round % 2 === 0 ? (['json', 'stream'] as const) : (['stream', 'json'] as const)
      for (const mode of order)
        samples[mode].push(await oneRequest(smartsplit.baseURL, fakes, mode === 'stream', THREE_PARTS))
    }
  } catch (error) {
    return {
      skipped: true,
      note: `the three-part prompt did not run as three parts + synthesis: ${(error as Error).message}`,
    }
  } finally {
    await smartsplit.close()
    for (const fake of fakes) await fake.close()
  }
  const modes = (['json', 'stream'] as const).map((mode): MultiPartModeFigures => {
    const s = samples[mode]
    const of = (key: keyof Omit<RoundSample, 'subtasks'>) => spread(s.map((x) => x[key]))
    return {
      mode,
      rounds: s.length,
      wallMs: of('wallMs'),
      slowestPartMs: of('slowestPartMs'),
      synthesisMs: of('synthesisMs'),
      overheadMs: spread(s.map((x) => x.wallMs - x.slowestPartMs - x.synthesisMs)),
      beforeSlowestPartMs: of('beforeSlowestPartMs'),
      betweenMs: of('betweenMs'),
      afterSynthesisMs: of('afterSynthesisMs'),
    }
  })
  for (const m of modes)
    ctx.log(
      `  multi-part (${m.mode}): wall ${m.wallMs.median.toFixed(1)} ms = slowest part ${m.slowestPartMs.median.toFixed(1)} + ` +
        `synthesis ${m.synthesisMs.median.toFixed(1)} + overhead ${m.overheadMs.median.toFixed(1)} ms ` +
        `(before ${m.beforeSlowestPartMs.median.toFixed(1)}, between ${m.betweenMs.median.toFixed(1)}, after ${m.afterSynthesisMs.median.toFixed(1)})`,
    )
  return {
    parts: PARTS.map((p) => ({ label: p.label, firstByteMs: p.firstByteMs })),
    synthesisFirstByteMs: SYNTHESIS_MS,
    subtasks: samples.stream.at(-1)?.subtasks ?? '',
    modes,
  }
}
