import { existsSync } from 'node:fs'
import { join } from 'node:path'
import OpenAI from 'openai'
import { Agent, fetch as undiciFetch } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { type RedisServer, SKIP_WITHOUT_REDIS, startRedisServer } from '../support/redis-server.js'
import { spawnGroqWorkers } from '../support/spawn-groq-workers.js'
import { type SpawnedSmartSplit, stopSmartSplit } from '../support/spawn-smartsplit.js'

// `smartsplit --workers 2`: a Prometheus scrape reaches one worker, whichever the kernel picks; it must
// see every worker's requests, or a counter would jump between two workers' values from one scrape to
// the next. The all-time gauges come from the one store the workers share and are not multiplied.

const GROQ_KEY = 'gsk_fake_workers_metrics_0000000001'
const REQUESTS_PER_KIND = 12

/** A fetch on a connection of its own: the cluster hands each new connection to the next worker. */
const freshFetch = ((url: string, init?: Parameters<typeof undiciFetch>[1]) =>
  undiciFetch(url, { ...init, dispatcher: new Agent({ pipelining: 0 }) })) as unknown as typeof fetch

function sample(text: string, metric: string): number {
  let total = 0
  for (const line of text.split('\n')) {
    if (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `))
      total += Number(line.slice(line.lastIndexOf(' ') + 1))
  }
  return total
}

describe.skipIf(SKIP_WITHOUT_REDIS !== null)('--workers and /metrics', () => {
  let redis: RedisServer
  let groq: FakeOpenAI
  let server: SpawnedSmartSplit
  let dataDir: string

  beforeAll(async () => {
    redis = await startRedisServer()
    groq = await startFakeOpenAI({ model: 'llama', apiKey: GROQ_KEY })
    const started = await spawnGroqWorkers({
      redisUrl: redis.url,
      groqUrl: groq.url,
      groqKey: GROQ_KEY,
      name: 'workers-metrics',
    })
    server = started.server
    dataDir = started.dataDir
    expect(server.url, server.stderr()).not.toBeNull()
  }, 40_000)
  afterAll(async () => {
    await stopSmartSplit(server)
    await groq.close()
    await redis.stop()
  })

  it('on a first start the primary holds the data dir and both workers keep the log in it', async () => {
    expect(existsSync(join(dataDir, 'smartsplit.lock'))).toBe(true)
    expect(server.stderr()).not.toContain('memory store')
  })

  it('every scrape counts the requests both workers served, streamed and not', async () => {
    // A fresh connection per request, so the kernel spreads them over both workers.
    for (const stream of [false, true]) {
      for (let i = 0; i < REQUESTS_PER_KIND; i++) {
        const client = new OpenAI({
          baseURL: `${server.url}/v1`,
          apiKey: 'unused',
          maxRetries: 0,
          fetch: freshFetch,
        })
        const answer = await ask(client, { messages: [{ role: 'user', content: `Say hello ${i}.` }] }, stream)
        expect(answer.status).toBe(200)
      }
    }
    const served = 2 * REQUESTS_PER_KIND
    expect(groq.requests).toHaveLength(served)
    for (let scrape = 0; scrape < 6; scrape++) {
      const response = await freshFetch(`${server.url}/metrics?format=prometheus`)
      expect(response.status).toBe(200)
      const text = await response.text()
      expect(text).not.toContain("this worker's figures only")
      expect(sample(text, 'smartsplit_requests_total')).toBe(served)
      expect(sample(text, 'smartsplit_request_duration_seconds_count')).toBe(served)
      expect(sample(text, 'smartsplit_upstream_attempts_total')).toBe(served)
      // Read from the shared store by each worker: once, not twice. Each worker writes its batch every
      // second, and a batch that meets the other worker's write is retried at the next one.
      expect(sample(text, 'smartsplit_all_time_requests')).toBeLessThanOrEqual(served)
    }
    // Each worker's JSON view is its own: one of them served only part of the requests.
    const views: number[] = []
    for (let scrape = 0; scrape < 6; scrape++) {
      const view = (await (await freshFetch(`${server.url}/metrics`)).json()) as {
        requests: { total: number }
      }
      views.push(view.requests.total)
    }
    expect(Math.min(...views)).toBeLessThan(served)
    await expect
      .poll(
        async () => {
          const text = await (await freshFetch(`${server.url}/metrics?format=prometheus`)).text()
          return sample(text, 'smartsplit_all_time_requests')
        },
        { timeout: 10_000 },
      )
      .toBe(served)
  })
})
