import { median, slope } from '../lib/stats.js'
import { keepAliveAgent, timedRequest } from '../load/stream-client.js'
import type { BenchContext } from './context.js'

// Memory and CPU over many requests through a SmartSplit that has served nothing before: 50 clients,
// half JSON, half streamed, and one request in ten (a fifth of the streams) hangs up after the first
// content chunk. RSS and CPU time are read from the SmartSplit process only. It runs twice, each on a
// fresh process: with Node's defaults, then with the old-space heap capped (CAPPED_HEAP_FLAGS).

export interface MemorySample {
  requests: number
  rssMb: number
  cpuMs: number
}

export interface MemoryFigures {
  requests: number
  concurrency: number
  seconds: number
  reqPerSec: number
  failures: number
  clientAborts: number
  /** Upstream streams the fake saw cut short: SmartSplit passed the hang-up on. */
  upstreamAborts: number
  idleRssMb: number
  peakRssMb: number
  /** Median RSS over the second half of the run. */
  steadyRssMb: number
  /** Least-squares RSS trend after the first 20 % (warm-up), per 10k requests. */
  growthMbPer10k: number
  rssAfterIdleMb: number
  cpuSecondsPer1k: number
  samples: MemorySample[]
  /** The same measurement on a second fresh SmartSplit started with these node flags (child process only). */
  cappedHeap?: CappedHeapFigures
}

export type CappedHeapFigures = Omit<MemoryFigures, 'cappedHeap'> & { nodeFlags: string[] }

/**
 * The second run's node flags. With Node's defaults V8 lets old space grow under sustained load before
 * collecting it, so RSS climbs; with old space capped, retained memory would still grow (or the process
 * would die of heap exhaustion) while garbage V8 merely had not collected yet would not. The pair shows
 * whether the default run's growth is V8 sizing its heap to the load or SmartSplit retaining memory.
 */
export const CAPPED_HEAP_FLAGS: readonly string[] = ['--max-old-space-size=128']

const MB = 1024 * 1024
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function runMemory(ctx: BenchContext): Promise<MemoryFigures> {
  await ctx.fake.configure({ firstByteMs: 0, chunkGapMs: 1, chunks: 8 })
  const figures: MemoryFigures = await measure(ctx, [])
  if (!ctx.ownProcess) {
    ctx.log(
      `  memory: ${CAPPED_HEAP_FLAGS.join(' ')} needs SmartSplit in its own process: capped run skipped`,
    )
    return figures
  }
  const nodeFlags = [...CAPPED_HEAP_FLAGS]
  return { ...figures, cappedHeap: { ...(await measure(ctx, nodeFlags)), nodeFlags } }
}

async function measure(ctx: BenchContext, nodeFlags: string[]): Promise<Omit<MemoryFigures, 'cappedHeap'>> {
  const flagsLabel = nodeFlags.length === 0 ? 'default heap' : nodeFlags.join(' ')
  ctx.log(`  memory (${flagsLabel}) …`)
  const target = await ctx.startFreshSmartSplit(nodeFlags)
  const total = ctx.memoryRequests
  const concurrency = 50
  const sampleEvery = Math.max(50, Math.floor(total / 100))
  const fakeBefore = await ctx.fake.stats()
  try {
    await sleep(ctx.smoke ? 50 : 1000)
    const idle = target.usage()
    if (idle === null) throw new Error('cannot read the SmartSplit process usage (needs Linux /proc)')
    const samples: MemorySample[] = [{ requests: 0, rssMb: idle.rssBytes / MB, cpuMs: idle.cpuMs }]
    const agent = keepAliveAgent(concurrency)
    let issued = 0
    let done = 0
    let failures = 0
    let clientAborts = 0
    const started = process.hrtime.bigint()
    const worker = async (): Promise<void> => {
      while (issued < total) {
        const i = issued++
        const stream = i % 2 === 1
        try {
          const timing = await timedRequest(target, agent, { stream, abortAfterFirstFrame: i % 10 === 1 })
          if (timing.status !== 200) failures += 1
          if (timing.aborted) clientAborts += 1
        } catch {
          failures += 1
        }
        done += 1
        if (done % sampleEvery === 0) {
          const usage = target.usage()
          if (usage !== null) samples.push({ requests: done, rssMb: usage.rssBytes / MB, cpuMs: usage.cpuMs })
          if (done % (sampleEvery * 10) === 0)
            ctx.log(`  memory (${flagsLabel}): ${done}/${total}, RSS ${((usage?.rssBytes ?? 0) / MB) | 0} MB`)
        }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    agent.destroy()
    // Null when the process died under load (e.g. heap exhaustion with the capped heap): the last sample
    // stands in, and the failures column says how many requests it took down with it.
    const last = samples[samples.length - 1]!
    const end = target.usage() ?? { rssBytes: last.rssMb * MB, cpuMs: last.cpuMs }
    await sleep(ctx.smoke ? 50 : 2000)
    const afterIdle = target.usage()
    if (afterIdle === null) ctx.log(`  memory (${flagsLabel}): the SmartSplit process is gone`)
    const fakeAfter = await ctx.fake.stats()

    const warm = samples.filter((s) => s.requests >= total * 0.2)
    const secondHalf = samples.filter((s) => s.requests >= total / 2)
    const figures: Omit<MemoryFigures, 'cappedHeap'> = {
      requests: total,
      concurrency,
      seconds,
      reqPerSec: total / seconds,
      failures,
      clientAborts,
      upstreamAborts: fakeAfter.aborted - fakeBefore.aborted,
      idleRssMb: idle.rssBytes / MB,
      peakRssMb: Math.max(...samples.map((s) => s.rssMb), end.rssBytes / MB),
      steadyRssMb: median(secondHalf.map((s) => s.rssMb)),
      growthMbPer10k:
        slope(
          warm.map((s) => s.requests),
          warm.map((s) => s.rssMb),
        ) * 10_000,
      rssAfterIdleMb: afterIdle === null ? Number.NaN : afterIdle.rssBytes / MB,
      cpuSecondsPer1k: (end.cpuMs - idle.cpuMs) / total,
      samples,
    }
    ctx.log(
      `  memory (${flagsLabel}): steady ${figures.steadyRssMb.toFixed(1)} MB, peak ${figures.peakRssMb.toFixed(1)} MB, ` +
        `growth ${figures.growthMbPer10k.toFixed(2)} MB/10k, ${figures.reqPerSec.toFixed(0)} req/s, ` +
        `CPU ${figures.cpuSecondsPer1k.toFixed(3)} s/1k, ${figures.failures} failures`,
    )
    return figures
  } finally {
    await target.stop()
  }
}
