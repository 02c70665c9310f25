import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ProviderView } from '../../src/cli/build-provider-views.js'
import { printProviders } from '../../src/cli/providers.js'
import type { ConfigFile } from '../../src/config/schema.js'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

// `smartsplit providers`: the catalogue's figures with as_of and source, keys as fingerprints with their
// pools, and live remaining capacity when a SmartSplit runs on the configured port.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const KEY_A = 'gsk_fake_providers_cli_key_aaaaaaaa01'
const KEY_B = 'gsk_fake_providers_cli_key_bbbbbbbb02'

async function providersOutput(config: ConfigFile, extra: { json?: boolean; port?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-providers-'))
  writeFileSync(join(dir, 'smartsplit.json'), JSON.stringify(config))
  const lines: string[] = []
  await printProviders(
    { configPath: join(dir, 'smartsplit.json'), dataDir: join(dir, 'data'), port: extra.port ?? 1, ...extra },
    { sources: { env: {}, cwd: dir, homeDir: dir }, out: (text) => lines.push(text) },
  )
  return lines.join('\n')
}

describe('smartsplit providers', () => {
  it('prints every figure with its source, and keys only as fingerprints with their pools (--json)', async () => {
    const config: ConfigFile = {
      providers: {
        groq: {
          api_keys: [
            { key: KEY_A, pool: 'org-a' },
            { key: KEY_B, pool: 'org-b' },
          ],
        },
      },
    }
    const text = await providersOutput(config, { json: true })
    expect(text).not.toContain(KEY_A)
    expect(text).not.toContain(KEY_B)
    const body = JSON.parse(text) as { live: boolean; providers: ProviderView[] }
    expect(body.live).toBe(false)
    const groq = body.providers.find((p) => p.name === 'groq')!
    expect(groq.keys.map((k) => k.pool)).toEqual(['org-a', 'org-b'])
    expect(groq.keys.every((k) => /^[0-9a-f]{12}$/.test(k.fingerprint ?? ''))).toBe(true)
    expect(groq.capacity).toContain('2 separate pools')
    const fast = groq.models.find((m) => m.id === 'llama-3.1-8b-instant')!
    expect(fast.roles).toEqual(['fast'])
    expect(fast.limits.rpd).toMatchObject({
      value: 14_400,
      from: 'catalogue',
      as_of: '2026-12-07',
      source: 'https://console.groq.com/docs/rate-limits',
    })
    const cerebras = body.providers.find((p) => p.name === 'cerebras')!
    expect(cerebras.tier).toMatchObject({ value: 'trial', from: 'catalogue' })
    expect(cerebras.enabled).toBe(false)
  })

  it('shows what is left now when a SmartSplit answers on the port, and config overrides as such', async () => {
    const fake = await startFakeOpenAI({ apiKey: KEY_A })
    const config: ConfigFile = {
      free_llm_priority: ['groq'],
      providers: {
        groq: { base_url: fake.url, api_key: KEY_A, models: { 'qwen/qwen3-32b': { limits: { rpd: 10 } } } },
      },
    }
    const smartsplit = await startSmartSplit(config)
    running.push(smartsplit, fake)
    await fetch(`${smartsplit.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'groq/openai/gpt-oss-120b',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    })
    const port = Number(new URL(smartsplit.url).port)
    const body = JSON.parse(await providersOutput(config, { json: true, port })) as {
      live: boolean
      providers: ProviderView[]
    }
    expect(body.live).toBe(true)
    const groq = body.providers.find((p) => p.name === 'groq')!
    const strong = groq.models.find((m) => m.id === 'openai/gpt-oss-120b')!
    expect(strong.remaining?.[0]).toMatchObject({ key: 'key 1', pool: 'default', state: 'ok' })
    expect(strong.remaining?.[0]?.remaining.requestsDay).toBe(999)
    expect(groq.models.find((m) => m.id === 'qwen/qwen3-32b')?.limits.rpd).toEqual({
      value: 10,
      from: 'config',
    })
    const text = await providersOutput(config, { port })
    expect(text).toContain('Live remaining capacity from the SmartSplit on')
    expect(text).toMatch(/openai\/gpt-oss-120b .*key 1: ok 29\/999\//)
  })
})
