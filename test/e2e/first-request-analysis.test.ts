import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { type SpawnedSmartSplit, spawnSmartSplit, stopSmartSplit } from '../support/spawn-smartsplit.js'

// The analyzer's task model is read from disk on first use, not at startup: the very first request a
// fresh SmartSplit process serves is classified like any later one. Each mode gets its own process, so
// its first request really is the first.

const KEY = 'gsk_fake_first_request_0001'
const SUMMARIZE =
  'Fasse diesen Text kurz zusammen:\n\nDas Schwimmbad öffnet nach der Sanierung am ersten Mai. Die Eintrittspreise bleiben gleich, aber die Öffnungszeiten werden am Wochenende verlängert. Neu ist ein Becken für Kleinkinder.'
const TRANSLATE = '请把这句话翻译成英文：我们明天早上九点出发。'

const started: { smartsplit: SpawnedSmartSplit; fake: FakeOpenAI }[] = []
afterEach(async () => {
  for (const { smartsplit, fake } of started.splice(0)) {
    await stopSmartSplit(smartsplit)
    await fake.close()
  }
})

async function freshSmartSplit(): Promise<{ client: OpenAI; fake: FakeOpenAI }> {
  const fake = await startFakeOpenAI({ apiKey: KEY })
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-first-request-'))
  const config = join(dir, 'smartsplit.json')
  writeFileSync(
    config,
    JSON.stringify({ providers: { groq: { base_url: fake.url, api_key: KEY } }, server: { port: 0 } }),
    { mode: 0o600 },
  )
  const smartsplit = await spawnSmartSplit(['--config', config, '--data-dir', dir], { cwd: dir })
  started.push({ smartsplit, fake })
  if (smartsplit.url === null) throw new Error(`SmartSplit did not start: ${smartsplit.stderr()}`)
  return { client: new OpenAI({ baseURL: `${smartsplit.url}/v1`, apiKey: 'x', maxRetries: 0 }), fake }
}

describe('the first request of a fresh process', () => {
  it.each([false, true])('is classified by the task model (stream: %s)', async (stream) => {
    const { client, fake } = await freshSmartSplit()
    const first = await ask(client, { messages: [{ role: 'user', content: SUMMARIZE }] }, stream)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-smartsplit-task')).toBe('summarize')
    expect(first.text).toBe('Hello from the fake.')
    expect(fake.requests).toHaveLength(1)
    const second = await ask(client, { messages: [{ role: 'user', content: TRANSLATE }] }, stream)
    expect(second.headers.get('x-smartsplit-task')).toBe('translation')
  })
})
