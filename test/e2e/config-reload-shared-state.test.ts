import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DashboardSnapshot } from '../../src/dashboard/types.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { type RedisServer, SKIP_WITHOUT_REDIS, startRedisServer } from '../support/redis-server.js'
import { routeAll } from '../support/route-all.js'
import { type SpawnedSmartSplit, spawnSmartSplit, stopSmartSplit } from '../support/spawn-smartsplit.js'
import { until } from '../support/until.js'

// With state shared through Redis, the provider state is built once for the providers the deployment
// started with (every instance keys its counters by them). A reload still applies the mode and routing,
// keeps the providers, and says that a change of providers needs a restart.

const GROQ_KEY = 'gsk_reload_shared_groq_00000001'
const OPENROUTER_KEY = 'sk-or-v1-fake-reload-shared-000002'

describe.skipIf(SKIP_WITHOUT_REDIS !== null)('config reload with state shared through Redis', () => {
  let redis: RedisServer
  let groq: FakeOpenAI
  let openrouter: FakeOpenAI
  let configPath: string
  let server: SpawnedSmartSplit
  let client: OpenAI
  const config = (mode: string, withOpenRouter: boolean) => ({
    mode,
    state: { redis_url: redis.url },
    free_llm_priority: ['openrouter', 'groq'],
    providers: {
      groq: { base_url: groq.url, api_key: GROQ_KEY, model: 'llama' },
      ...(withOpenRouter
        ? { openrouter: { base_url: openrouter.url, api_key: OPENROUTER_KEY, model: 'router' } }
        : {}),
    },
    routing: routeAll(['openrouter', 'groq']),
  })

  beforeAll(async () => {
    redis = await startRedisServer()
    groq = await startFakeOpenAI({ model: 'llama', apiKey: GROQ_KEY })
    openrouter = await startFakeOpenAI({ model: 'router', apiKey: OPENROUTER_KEY })
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-reload-shared-'))
    configPath = join(dir, 'smartsplit.json')
    writeFileSync(configPath, JSON.stringify(config('balanced', false)))
    server = await spawnSmartSplit(['--config', configPath, '--data-dir', join(dir, 'data'), '--port', '0'], {
      cwd: dir,
    })
    expect(server.url, server.stderr()).not.toBeNull()
    client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'unused', maxRetries: 0 })
  }, 30_000)
  afterAll(async () => {
    await stopSmartSplit(server)
    await groq.close()
    await openrouter.close()
    await redis.stop()
  })

  it('applies the mode, keeps the providers it started with, and says they need a restart', async () => {
    writeFileSync(configPath, JSON.stringify(config('quality', true)))
    const snapshot = await until(
      async () => (await (await fetch(`${server.url}/dashboard/api/snapshot`)).json()) as DashboardSnapshot,
      (s) => s.config.mode === 'quality',
    )
    expect(snapshot.config.needsRestart).toContain('providers (their state is shared through Redis)')
    for (const stream of [false, true]) {
      const answer = await ask(client, { messages: [{ role: 'user', content: 'Say hello.' }] }, stream)
      expect(answer.headers.get('x-smartsplit-mode')).toBe('quality')
      expect(answer.headers.get('x-smartsplit-provider')).toBe('groq')
    }
    expect(openrouter.requests).toHaveLength(0)
  })
})
