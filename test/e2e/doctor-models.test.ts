import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runDoctor } from '../../src/cli/doctor.js'
import type { ConfigFile } from '../../src/config/schema.js'
import { seededRandom } from '../../src/lib/random.js'
import { CATALOG } from '../../src/providers/catalog.js'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { NEW_PROVIDER_ANSWERS } from '../fakes/provider-answers.js'
import { freePort } from '../support/free-port.js'

// `smartsplit doctor` probes every provider added for issue 18 with one real request through its fake,
// and compares the configured models with each provider's live model list and the catalogue.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

async function doctor(config: ConfigFile) {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-doctor-models-'))
  const path = join(dir, 'smartsplit.json')
  writeFileSync(path, JSON.stringify(config))
  const lines: string[] = []
  const result = await runDoctor(
    { configPath: path, dataDir: join(dir, 'data'), port: await freePort() },
    {
      sources: { env: {}, cwd: dir, homeDir: dir },
      out: (text) => lines.push(text),
      random: seededRandom(1),
    },
  )
  const output = lines.join('\n')
  const rowOf = (name: string) =>
    output.split('\n').find((line) => new RegExp(`^\\s+\\S\\s+${name}\\s`).test(line)) ?? ''
  return { result, output, rowOf }
}

describe('smartsplit doctor: new providers and model lists', () => {
  it('probes NVIDIA NIM, SambaNova, Z.ai and Ollama Cloud, and finds every default model listed', async () => {
    const providers: NonNullable<ConfigFile['providers']> = {}
    for (const answers of NEW_PROVIDER_ANSWERS) {
      const entry = CATALOG[answers.provider]!
      const fake = await startFakeOpenAI({
        apiKey: answers.apiKey,
        rateLimitHeaders: answers.rateLimitHeaders,
        models: [...new Set([entry.model, entry.fastModel, entry.strongModel])],
      })
      running.push(fake)
      providers[answers.provider] = { base_url: fake.url, api_key: answers.apiKey }
    }
    const { result, rowOf } = await doctor({
      free_llm_priority: NEW_PROVIDER_ANSWERS.map((a) => a.provider),
      providers,
    })
    for (const { provider } of NEW_PROVIDER_ANSWERS) {
      expect(rowOf(provider)).toMatch(/^\s+✓/)
      expect(rowOf(`${provider} models`)).toMatch(/✓.*all in its list/)
    }
    expect(rowOf('sambanova')).toContain('19/20 req/day')
    expect(result.exitCode).toBe(0)
  })

  it('warns about a configured model the provider no longer lists, and one the catalogue says is retired', async () => {
    const apiKey = 'gsk_doctor_models_key_0000001'
    const groq = await startFakeOpenAI({ apiKey, models: ['llama-3.1-8b-instant', 'qwen/qwen3-32b'] })
    running.push(groq)
    const { output, rowOf } = await doctor({
      free_llm_priority: ['groq'],
      providers: {
        groq: { base_url: groq.url, api_key: apiKey, model: 'moonshotai/kimi-k2-instruct-0905' },
      },
    })
    const row = rowOf('groq models')
    expect(row).toMatch(/^\s+!/)
    expect(output).toContain(
      'moonshotai/kimi-k2-instruct-0905 (model, fast_model, strong_model) is not in its list',
    )
    expect(output).toContain('moonshotai/kimi-k2-instruct-0905 is retired per the catalogue (2026-12-07')
    expect(output).toContain('→ set providers.groq.model to a listed model')
  })
})
