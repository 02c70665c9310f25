import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { agentRequest, SMALL_PROMPTS, smallRequest } from '../lib/agent-body.js'
import { type Distribution, distribution } from '../lib/stats.js'
import type { BenchContext, Skipped } from './context.js'

// Time of analyzeRequest (src/pipeline/analyze) on short prompts and on a 30 KB agent body with 10
// tools, in this process (it is a pure function). Skipped while the analyzer does not exist.

export interface AnalyzerFigures {
  skipped: false
  small: Distribution
  agent: Distribution & { bodyBytes: number; tools: number }
  iterations: number
}

type Analyze = (request: unknown) => unknown

function time(analyze: Analyze, request: unknown, iterations: number): number[] {
  const times: number[] = []
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint()
    analyze(request)
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  return times
}

export async function runAnalyzer(ctx: BenchContext): Promise<AnalyzerFigures | Skipped> {
  const source = join(ctx.sourceRoot, 'src', 'pipeline', 'analyze', 'index.ts')
  if (!existsSync(source)) return { skipped: true, note: 'src/pipeline/analyze does not exist yet' }
  // A computed specifier keeps this file compiling whether or not the module exists.
  const module = (await import(pathToFileURL(source).href)) as { analyzeRequest?: Analyze }
  const analyze = module.analyzeRequest
  if (typeof analyze !== 'function')
    return { skipped: true, note: 'src/pipeline/analyze does not export analyzeRequest' }

  const iterations = ctx.smoke ? 20 : 5_000
  const small = SMALL_PROMPTS.map(smallRequest)
  const agent = agentRequest(30_000, 10)
  // Warm-up so the JIT has compiled the hot paths, as in a server that has been running a while.
  for (let i = 0; i < (ctx.smoke ? 5 : 500); i++) {
    analyze(agent)
    for (const request of small) analyze(request)
  }
  const smallTimes = small.flatMap((request) => time(analyze, request, Math.ceil(iterations / small.length)))
  const agentTimes = time(analyze, agent, iterations)
  const figures: AnalyzerFigures = {
    skipped: false,
    small: distribution(smallTimes),
    agent: { ...distribution(agentTimes), bodyBytes: JSON.stringify(agent).length, tools: 10 },
    iterations,
  }
  ctx.log(
    `  analyzer: small p50 ${figures.small.p50.toFixed(3)} / p99 ${figures.small.p99.toFixed(3)} ms; ` +
      `agent ${(figures.agent.bodyBytes / 1024).toFixed(1)} KB p50 ${figures.agent.p50.toFixed(3)} / p99 ${figures.agent.p99.toFixed(3)} ms`,
  )
  return figures
}
