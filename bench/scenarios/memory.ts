import { median, slope } from '../lib/stats.js'
import { keepAliveAgent, timedRequest } from '../load/stream-client.js'
import type { BenchContext } from './context.js'

// Memory and CPU over many requests through a SmartSplit that has served nothing before: 50 clients,
// half JSON, half streamed, and one request in ten (a fifth of the streams) hangs up after the first
// content chunk. RSS and CPU time are read from the SmartSplit process only.

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
}

const MB = 1024 * 1024
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function runMemory(ctx: BenchContext): Promise<MemoryFigures> {
  await ctx.fake.configure({ firstByteMs: 0, chunkGapMs: 1, chunks: 8 })
  const target = await ctx.startFreshSmartSplit()
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
            ctx.log(`  memory: ${done}/${total}, RSS ${((usage?.rssBytes ?? 0) / MB) | 0} MB`)
        }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    agent.destroy()
    const end = target.usage()!
    await sleep(ctx.smoke ? 50 : 2000)
    const afterIdle = target.usage()!
    const fakeAfter = await ctx.fake.stats()

    const warm = samples.filter((s) => s.requests >= total * 0.2)
    const secondHalf = samples.filter((s) => s.requests >= total / 2)
    const figures: MemoryFigures = {
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
      rssAfterIdleMb: afterIdle.rssBytes / MB,
      cpuSecondsPer1k: (end.cpuMs - idle.cpuMs) / total,
      samples,
    }
    ctx.log(
      `  memory: steady ${figures.steadyRssMb.toFixed(1)} MB, peak ${figures.peakRssMb.toFixed(1)} MB, ` +
        `growth ${figures.growthMbPer10k.toFixed(2)} MB/10k, CPU ${figures.cpuSecondsPer1k.toFixed(3)} s/1k`,
    )
    return figures
  } finally {
    await target.stop()
  }
}
