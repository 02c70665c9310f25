import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DashboardSnapshot } from '../../src/dashboard/types.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { routeAll } from '../support/route-all.js'
import { type SpawnedSmartSplit, spawnSmartSplit, stopSmartSplit } from '../support/spawn-smartsplit.js'
import { until } from '../support/until.js'

// Issue 20: the config changes without a restart, on file change and on SIGHUP. A new config is
// validated first (an invalid one is refused, logged, shown on the dashboard, and serving goes on);
// requests in flight finish on the config they started with; counters of keys that remain are kept.

const GROQ_KEY = 'gsk_reload_groq_key_000000001'
const OPENROUTER_KEY = 'sk-or-v1-fake-reload-openrouter-0002'

interface Health {
  mode: string
  providers: { list: { name: string; enabled: boolean }[] }
  state: {
    provider: string
    models: { keys: { state: string; remaining: { requestsDay: number | null } }[] }[]
  }[]
}

describe('config reload', () => {
  let groq: FakeOpenAI
  let openrouter: FakeOpenAI
  let dir: string
  let configPath: string
  let server: SpawnedSmartSplit
  let client: OpenAI
  const health = async (): Promise<Health> => (await fetch(`${server.url}/health`)).json() as Promise<Health>
  const writeConfig = (config: object): void => writeFileSync(configPath, JSON.stringify(config, null, 2))
  const groqOnly = (mode: string) => ({
    mode,
    free_llm_priority: ['groq', 'openrouter'],
    providers: {
      groq: { base_url: groq.url, api_key: GROQ_KEY, model: 'llama', limits: { rpd: 1000 } },
    },
    routing: routeAll(['groq', 'openrouter']),
  })
  const both = (mode: string) => ({
    ...groqOnly(mode),
    providers: {
      ...groqOnly(mode).providers,
      openrouter: { base_url: openrouter.url, api_key: OPENROUTER_KEY, model: 'router' },
    },
  })

  beforeAll(async () => {
    groq = await startFakeOpenAI({ model: 'llama', apiKey: GROQ_KEY })
    openrouter = await startFakeOpenAI({ model: 'router', apiKey: OPENROUTER_KEY })
    dir = mkdtempSync(join(tmpdir(), 'smartsplit-reload-'))
    configPath = join(dir, 'smartsplit.json')
    writeConfig(groqOnly('balanced'))
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
  })

  it('adds a provider, changes the mode and keeps the counters of the key that remains', async () => {
    for (const stream of [false, true]) {
      const answer = await ask(client, { messages: [{ role: 'user', content: 'Say hello.' }] }, stream)
      expect(answer.headers.get('x-smartsplit-provider')).toBe('groq')
    }
    const before = await health()
    const groqDayLeft = before.state[0]!.models[0]!.keys[0]!.remaining.requestsDay
    expect(groqDayLeft).toBe(998)
    // groq answers the next call with a 429: its key cools down, and stays so across the reload.
    groq.queue.push({ kind: 'error', status: 429, headers: { 'retry-after': '300' } })
    await expect(ask(client, { messages: [{ role: 'user', content: 'Say hi.' }] }, false)).rejects.toThrow()

    writeConfig(both('quality'))
    const after = await until(health, (h) => h.mode === 'quality')
    expect(after.mode).toBe('quality')
    expect(after.providers.list.find((p) => p.name === 'openrouter')?.enabled).toBe(true)
    const groqKey = after.state.find((p) => p.provider === 'groq')!.models[0]!.keys[0]!
    expect(groqKey.state).toBe('cooldown')
    expect(groqKey.remaining.requestsDay).toBe(groqDayLeft)
    for (const stream of [false, true]) {
      const answer = await ask(client, { messages: [{ role: 'user', content: 'Say hello.' }] }, stream)
      expect(answer.headers.get('x-smartsplit-provider')).toBe('openrouter')
      expect(answer.headers.get('x-smartsplit-mode')).toBe('quality')
    }
    // The log is written asynchronously (flushed within a second).
    expect(
      await until(
        async () => server.stderr(),
        (text) => text.includes('config reloaded'),
      ),
    ).toContain('config reloaded')
  })

  it('refuses an invalid config, says why on the dashboard, and keeps serving on the running one', async () => {
    writeFileSync(configPath, '{ "mode": "quality", "providers": { ')
    await until(
      async () => server.stderr(),
      (text) => text.includes('config not reloaded'),
    )
    writeConfig({ ...both('quality'), mode: 'fastest' })
    await until(
      async () => server.stderr().split('config not reloaded').length - 1,
      (count) => count >= 2,
    )
    expect(server.stderr()).toMatch(/not valid JSON/)
    const snapshot = (await (await fetch(`${server.url}/dashboard/api/snapshot`)).json()) as DashboardSnapshot
    expect(snapshot.config.lastError?.message).toMatch(/mode/)
    expect((await health()).mode).toBe('quality')
    for (const stream of [false, true]) {
      const answer = await ask(client, { messages: [{ role: 'user', content: 'Still there?' }] }, stream)
      expect(answer.status).toBe(200)
      expect(answer.headers.get('x-smartsplit-provider')).toBe('openrouter')
    }
  })

  it('reloads on SIGHUP, and a request in flight finishes on the config it started with', async () => {
    // The running config is still the last valid one: groq (cooling down) and openrouter, mode quality.
    // A slow answer from openrouter is under way when openrouter is removed from the config.
    openrouter.queue.push({ kind: 'text', pieces: ['one ', 'two ', 'three ', 'four'], chunkDelayMs: 300 })
    const seen = openrouter.requests.length
    const inFlight = ask(client, { messages: [{ role: 'user', content: 'Count to four.' }] }, true)
    await until(
      async () => openrouter.requests.length,
      (n) => n > seen,
    )
    const config = both('economy')
    const { openrouter: _removed, ...onlyGroq } = config.providers
    writeConfig({ ...config, providers: onlyGroq })
    server.child.kill('SIGHUP')
    const reloaded = await until(health, (h) => h.mode === 'economy')
    expect(reloaded.providers.list.find((p) => p.name === 'openrouter')?.enabled).toBe(false)
    const answer = await inFlight
    expect(answer.text).toBe('one two three four')
    expect(answer.headers.get('x-smartsplit-provider')).toBe('openrouter')
    const logs = await until(
      async () => server.stderr(),
      (text) => text.includes('"reason":"SIGHUP"'),
    )
    expect(logs).toContain('"reason":"SIGHUP"')
  })
})
