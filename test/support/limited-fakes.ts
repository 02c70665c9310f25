import type { ConfigFile } from '../../src/config/schema.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'

// Upstreams that hold SmartSplit to the limits it was told: each fake counts what reaches it and, past
// its declared requests per day or per minute (a sliding minute), answers 429 as OpenAI does. A 429 from
// one of them means SmartSplit sent more than the limit it knew.

export interface LimitedFake {
  name: string
  limits: { rpd?: number; rpm?: number }
  fake: FakeOpenAI
  /** Requests it answered, and those it refused for being over its limit. */
  served(): number
  overLimit(): number
  /** When it received each request it answered (ms). */
  servedAtMs(): readonly number[]
}

export async function startLimitedFake(name: string, limits: LimitedFake['limits']): Promise<LimitedFake> {
  const servedAtMs: number[] = []
  let overLimit = 0
  const fake = await startFakeOpenAI({ apiKey: `${name}-key-0000000000000001`, model: `${name}-model` })
  fake.defaultBehavior = () => {
    const nowMs = Date.now()
    const lastMinute = servedAtMs.filter((atMs) => atMs > nowMs - 60_000).length
    const isOver =
      (limits.rpd !== undefined && servedAtMs.length >= limits.rpd) ||
      (limits.rpm !== undefined && lastMinute >= limits.rpm)
    if (isOver) {
      overLimit++
      return {
        kind: 'error',
        status: 429,
        headers: { 'retry-after': '60' },
        body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
      }
    }
    servedAtMs.push(nowMs)
    return { kind: 'text', text: `Hello from ${name}.` }
  }
  return {
    name,
    limits,
    fake,
    served: () => servedAtMs.length,
    overLimit: () => overLimit,
    servedAtMs: () => servedAtMs,
  }
}

/** A SmartSplit config whose only providers are the fakes, with their limits declared. */
export function configFor(fakes: readonly LimitedFake[], redisUrl: string, namespace: string): ConfigFile {
  return {
    mode: 'balanced',
    free_llm_priority: fakes.map((fake) => fake.name),
    providers: Object.fromEntries(
      fakes.map((fake) => [
        fake.name,
        {
          base_url: fake.fake.url,
          model: `${fake.name}-model`,
          api_key: `${fake.name}-key-0000000000000001`,
          limits: fake.limits,
        },
      ]),
    ),
    server: { max_concurrent_per_client: 0 },
    quality_gates: false,
    store: 'memory',
    state: { redis_url: redisUrl, redis_namespace: namespace, redis_timeout_ms: 200 },
  }
}

export interface ClientResult {
  status: number
  stream: boolean
  /** Seconds, from the Retry-After header; null without one. */
  retryAfterS: number | null
  atMs: number
  /** A 200 whose answer was complete (the stream ended with [DONE], or the JSON had a message). */
  isComplete: boolean
}

/** One chat request as a client sends it, streamed or not. */
export async function ask(baseURL: string, stream: boolean, model = 'smartsplit'): Promise<ClientResult> {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Say hello.' }] }),
  })
  const text = await response.text()
  const retryAfter = response.headers.get('retry-after')
  const isComplete =
    response.status === 200 && (stream ? text.includes('data: [DONE]') : text.includes('"message"'))
  return {
    status: response.status,
    stream,
    retryAfterS: retryAfter === null ? null : Number(retryAfter),
    atMs: Date.now(),
    isComplete,
  }
}

/**
 * `count` requests spread over `baseURLs` in turn, half of them streamed, `concurrency` at a time;
 * `onProgress` runs after each one (to kill Redis halfway, say).
 */
export async function spread(
  baseURLs: readonly string[],
  count: number,
  concurrency: number,
  onProgress: (done: number) => Promise<void> = async () => {},
): Promise<ClientResult[]> {
  const results: ClientResult[] = []
  let next = 0
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) {
      results.push(await ask(baseURLs[index % baseURLs.length]!, index % 4 >= 2))
      await onProgress(results.length)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return results
}
