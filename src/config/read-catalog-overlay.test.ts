import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from './config-error.js'
import { loadConfig } from './load-config.js'

// <data dir>/catalog.json corrects or extends the built-in catalogue without a release.

const figure = (value: unknown) => ({ value, as_of: '2026-12-20', source: 'https://example.com/limits' })

function load(overlay: unknown, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-overlay-'))
  mkdirSync(join(dir, 'data'))
  writeFileSync(join(dir, 'data', 'catalog.json'), JSON.stringify(overlay))
  return loadConfig({ dataDir: join(dir, 'data') }, { env, cwd: dir, homeDir: dir })
}

describe('<data dir>/catalog.json', () => {
  it('replaces one model’s figures and adds a provider, with its key variable', () => {
    const model = {
      status: figure('active'),
      limits: { rpm: figure(60), rpd: figure(2_000), tpm: figure(12_000), tpd: figure(null) },
      context_window: figure(131_072),
      max_output_tokens: figure(8_192),
      tools: figure(true),
      vision: figure(false),
      json_mode: figure(true),
    }
    const newcomer = {
      display_name: 'Newcomer',
      dialect: 'openai',
      base_url: 'https://api.newcomer.example/v1',
      key_env: 'NEWCOMER_API_KEY',
      key_url: 'https://newcomer.example/keys',
      models_path: '/models',
      tier: figure('free'),
      pool_scope: figure('account'),
      limits_per: figure('model'),
      defaults: { model: 'new-1', fast_model: 'new-1', strong_model: 'new-1' },
      limits: { rpm: figure(5), rpd: figure(100), tpm: figure(null), tpd: figure(null) },
      assumed_model_info: {
        context_window: 32_768,
        max_output_tokens: 4_096,
        tools: true,
        vision: false,
        json_mode: true,
      },
      models: { 'new-1': model },
    }
    const nullNote = (f: Record<string, unknown>) => (f.value === null ? { ...f, note: 'not published' } : f)
    for (const limits of [model.limits, newcomer.limits] as Record<string, Record<string, unknown>>[]) {
      for (const key of Object.keys(limits)) limits[key] = nullNote(limits[key]!)
    }
    const config = load(
      { providers: { groq: { models: { 'llama-3.1-8b-instant': model } }, newcomer } },
      { GROQ_API_KEY: 'gsk_x', NEWCOMER_API_KEY: 'nc_x' },
    )
    const groq = config.providers.find((p) => p.name === 'groq')!
    expect(groq.models.get('llama-3.1-8b-instant')?.limits).toEqual({
      rpm: 60,
      rpd: 2_000,
      tpm: 12_000,
      tpd: null,
    })
    expect(groq.models.get('openai/gpt-oss-120b')?.limits?.rpd).toBe(1_000)
    const added = config.providers.find((p) => p.name === 'newcomer')!
    expect(added).toMatchObject({ enabled: true, apiKeys: ['nc_x'], model: 'new-1', tier: 'free' })
  })

  it('refuses a figure without a source, naming the file and the field', () => {
    const overlay = { providers: { groq: { limits: { rpm: { value: 5, as_of: '2026-12-20' } } } } }
    expect(() => load(overlay)).toThrow(ConfigError)
    expect(() => load(overlay)).toThrow(/catalog\.json: invalid catalogue\n {2}providers\.groq\.limits/)
  })
})
