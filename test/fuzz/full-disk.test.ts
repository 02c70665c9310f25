import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type SpawnedSmartSplit, spawnSmartSplit, stopSmartSplit } from '../support/spawn-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// Issue 15 item 3: a full disk. SmartSplit runs as its own process under a file-size limit (ulimit -f,
// with SIGXFSZ ignored so a write past it fails as on a full disk instead of killing the process), with
// prompts logged so that a few requests fill the limit. A storage error thrown from the store's flush
// timer used to be uncaught: the process died, and again after every restart. Now it keeps serving,
// streamed and not, logs the failure once, and /health shows the store as degraded.

const KEY = 'gsk_fake_full_disk_key_000001'
const LIMIT_KB = 512

let fake: FakeOpenAI
let smartsplit: SpawnedSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, behavior: { kind: 'text', text: 'Still here.' } })
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-full-disk-'))
  writeFileSync(
    join(dir, 'smartsplit.json'),
    JSON.stringify({
      providers: { groq: { base_url: fake.url, api_key: KEY, limits: UNLIMITED } },
      free_llm_priority: ['groq'],
      log_prompts: true,
    }),
  )
  smartsplit = await spawnSmartSplit(['--port', '0', '--data-dir', join(dir, 'data')], {
    cwd: dir,
    shellPrefix: `trap '' XFSZ\nulimit -f ${LIMIT_KB}`,
  })
  expect(smartsplit.url, smartsplit.stderr()).not.toBeNull()
}, 30_000)

afterAll(async () => {
  await stopSmartSplit(smartsplit)
  await fake.close()
})

async function ask(stream: boolean, content: string) {
  const response = await fetch(`${smartsplit.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', stream, messages: [{ role: 'user', content }] }),
  })
  return { status: response.status, text: await response.text() }
}

interface StoreHealth {
  backend: string
  state: string
  problem: string | null
  pendingWrites: number
}

async function storeHealth(): Promise<StoreHealth> {
  const body = (await (await fetch(`${smartsplit.url}/health`)).json()) as { store: StoreHealth }
  return body.store
}

describe('a full disk under a running SmartSplit', () => {
  it('keeps serving streamed and non-streamed requests, and /health says the store is degraded', async () => {
    // Each logged prompt is 200 KB: a few of them fill the 512 KB the process may write to a file.
    const bulky = `Summarise this log. ${'disk '.repeat(40_000)}`
    for (let i = 0; i < 6; i++) expect((await ask(i % 2 === 0, bulky)).status).toBe(200)
    // The store writes its queue every second: wait for the write that fails (or for the process to die).
    const deadline = Date.now() + 10_000
    const hasFailed = () => /storage write failed|SqliteError/.test(smartsplit.stderr())
    while (!hasFailed() && smartsplit.child.exitCode === null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100))
    expect(hasFailed(), 'the limit was reached').toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(smartsplit.child.exitCode, smartsplit.stderr().slice(-1_500)).toBeNull()

    for (const stream of [false, true]) {
      const answer = await ask(stream, 'Are you still there?')
      expect(answer.status).toBe(200)
      expect(answer.text).toContain(stream ? 'data: [DONE]' : 'Still here.')
    }
    const health = await storeHealth()
    expect(health).toMatchObject({ backend: 'sqlite', state: 'degraded' })
    expect(health.problem).toMatch(/Free disk space/)
    expect(health.pendingWrites).toBeGreaterThan(0)
    // Retries keep failing every few seconds; the warning is logged once per kind per minute.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    expect(smartsplit.child.exitCode).toBeNull()
    const warnings = smartsplit.stderr().match(/storage write failed/g) ?? []
    expect(warnings).toHaveLength(1)
  }, 40_000)
})
