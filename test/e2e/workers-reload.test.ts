import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { type RedisServer, SKIP_WITHOUT_REDIS, startRedisServer } from '../support/redis-server.js'
import { spawnGroqWorkers } from '../support/spawn-groq-workers.js'
import { type SpawnedSmartSplit, stopSmartSplit } from '../support/spawn-smartsplit.js'

// `smartsplit --workers N`: SIGHUP sent to the primary (the pid a supervisor knows) reloads every
// worker's config and leaves the primary running (unhandled, SIGHUP would end it).

const GROQ_KEY = 'gsk_workers_reload_0000000001'

describe.skipIf(SKIP_WITHOUT_REDIS !== null)('--workers and SIGHUP', () => {
  let redis: RedisServer
  let groq: FakeOpenAI
  let server: SpawnedSmartSplit

  beforeAll(async () => {
    redis = await startRedisServer()
    groq = await startFakeOpenAI({ model: 'llama', apiKey: GROQ_KEY })
    const started = await spawnGroqWorkers({
      redisUrl: redis.url,
      groqUrl: groq.url,
      groqKey: GROQ_KEY,
      name: 'workers-reload',
    })
    server = started.server
    expect(server.url, server.stderr()).not.toBeNull()
  }, 40_000)
  afterAll(async () => {
    await stopSmartSplit(server)
    await groq.close()
    await redis.stop()
  })

  it('reloads every worker and keeps serving', async () => {
    await expect.poll(() => server.stdout(), { timeout: 5_000 }).toContain('2 workers')
    server.child.kill('SIGHUP')
    await expect.poll(() => server.stderr().split('"reason":"SIGHUP"').length - 1, { timeout: 8_000 }).toBe(2)
    expect(server.child.exitCode).toBeNull()
    expect(server.child.signalCode).toBeNull()
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
    for (const stream of [false, true]) {
      const answer = await ask(client, { messages: [{ role: 'user', content: 'Say hello.' }] }, stream)
      expect(answer.status).toBe(200)
      expect(answer.headers.get('x-smartsplit-provider')).toBe('groq')
    }
  })
})
