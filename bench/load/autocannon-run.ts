import autocannon, { type AutocannonResult } from 'autocannon'
import { distribution } from '../lib/stats.js'
import type { Target } from '../targets/target.js'

// autocannon's own histogram has 1 ms resolution, too coarse for sub-millisecond overhead targets, so
// every 2xx response time (float ms, whole response including a stream's last byte) is kept here.

export interface LoadResult {
  requests: number
  reqPerSec: number
  p50Ms: number
  p99Ms: number
  errors: number
  non2xx: number
}

export interface LoadOptions {
  connections: number
  /** Seconds; ignored when `amount` is set. */
  durationSec: number
  /** A fixed number of requests instead of a duration (smoke runs). */
  amount?: number
  stream: boolean
  /** The request body; chatBody's one-turn question by default. */
  body?: string
}

export function chatBody(model: string, stream: boolean): string {
  return JSON.stringify({
    model,
    messages: [{ role: 'user', content: 'Write a haiku about fast proxies.' }],
    ...(stream ? { stream: true } : {}),
  })
}

export async function runAutocannon(target: Target, options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = []
  const started = process.hrtime.bigint()
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: options.body ?? chatBody(target.model, options.stream),
        connections: options.connections,
        timeout: 30,
        ...(options.amount === undefined ? { duration: options.durationSec } : { amount: options.amount }),
      },
      (error, res) => (error === null ? resolve(res) : reject(error)),
    )
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms)
    })
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const dist = distribution(latencies)
  return {
    requests: latencies.length,
    reqPerSec: latencies.length / seconds,
    p50Ms: dist.p50,
    p99Ms: dist.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}
