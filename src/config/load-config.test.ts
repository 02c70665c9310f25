import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from './config-error.js'
import { loadConfig } from './load-config.js'

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'smartsplit-config-'))
}

describe('loadConfig', () => {
  it('finds ./smartsplit.json, then ~/.config/smartsplit/config.json', () => {
    const home = dir()
    const cwd = dir()
    mkdirSync(join(home, '.config', 'smartsplit'), { recursive: true })
    writeFileSync(join(home, '.config', 'smartsplit', 'config.json'), JSON.stringify({ mode: 'economy' }))
    expect(loadConfig({}, { env: {}, cwd, homeDir: home }).mode).toBe('economy')
    writeFileSync(join(cwd, 'smartsplit.json'), JSON.stringify({ mode: 'quality' }))
    expect(loadConfig({}, { env: {}, cwd, homeDir: home }).mode).toBe('quality')
    const explicit = join(dir(), 'x.json')
    writeFileSync(explicit, JSON.stringify({ mode: 'balanced' }))
    expect(loadConfig({}, { env: { SMARTSPLIT_CONFIG: explicit }, cwd, homeDir: home }).source).toBe(explicit)
  })

  it('enables providers from environment keys, comma-separated for several', () => {
    const config = loadConfig(
      {},
      { env: { GROQ_API_KEY: 'gsk_a, gsk_b', CEREBRAS_API_KEY: 'csk-1' }, cwd: dir(), homeDir: dir() },
    )
    const groq = config.providers.find((p) => p.name === 'groq')!
    expect(groq.enabled).toBe(true)
    expect(groq.apiKeys).toEqual(['gsk_a', 'gsk_b'])
    expect(config.providers.find((p) => p.name === 'cerebras')!.enabled).toBe(true)
    expect(config.providers.find((p) => p.name === 'gemini')!.disabledReason).toMatch(/GEMINI_API_KEY/)
  })

  it('keeps paid providers off unless explicitly enabled', () => {
    const cwd = dir()
    const env = { OPENAI_API_KEY: 'sk-test', DEEPSEEK_API_KEY: 'sk-ds' }
    let config = loadConfig({}, { env, cwd, homeDir: dir() })
    expect(config.providers.find((p) => p.name === 'openai')!.enabled).toBe(false)
    expect(config.providers.find((p) => p.name === 'openai')!.disabledReason).toMatch(/enabled/)
    writeFileSync(join(cwd, 'smartsplit.json'), JSON.stringify({ providers: { openai: { enabled: true } } }))
    config = loadConfig({}, { env, cwd, homeDir: dir() })
    expect(config.providers.find((p) => p.name === 'openai')!.enabled).toBe(true)
    expect(config.providers.find((p) => p.name === 'deepseek')!.enabled).toBe(false)
  })

  it('puts the Cloudflare account id in the URL and needs it', () => {
    const base = { CLOUDFLARE_API_KEY: 'cf-token' }
    let config = loadConfig({}, { env: base, cwd: dir(), homeDir: dir() })
    expect(config.providers.find((p) => p.name === 'cloudflare')!.enabled).toBe(false)
    config = loadConfig({}, { env: { ...base, CLOUDFLARE_ACCOUNT_ID: 'acc123' }, cwd: dir(), homeDir: dir() })
    const cloudflare = config.providers.find((p) => p.name === 'cloudflare')!
    expect(cloudflare.enabled).toBe(true)
    expect(cloudflare.baseUrl).toBe('https://api.cloudflare.com/client/v4/accounts/acc123/ai/v1')
  })

  it('accepts a custom OpenAI-compatible provider and local servers without keys', () => {
    const cwd = dir()
    writeFileSync(
      join(cwd, 'smartsplit.json'),
      JSON.stringify({
        free_llm_priority: ['myvllm', 'local'],
        providers: {
          myvllm: { base_url: 'http://10.0.0.5:8000/v1/', model: 'qwen' },
          local: { base_url: 'http://127.0.0.1:1234/v1' },
        },
      }),
    )
    const config = loadConfig({}, { env: {}, cwd, homeDir: dir() })
    expect(config.providers.slice(0, 2).map((p) => [p.name, p.enabled, p.baseUrl])).toEqual([
      ['myvllm', true, 'http://10.0.0.5:8000/v1'],
      ['local', true, 'http://127.0.0.1:1234/v1'],
    ])
  })

  it('names the file, the field and what is allowed on errors', () => {
    const cwd = dir()
    const file = join(cwd, 'smartsplit.json')
    writeFileSync(file, JSON.stringify({ mode: 'fast', providers: { groq: { temprature: 1 } } }))
    expect(() => loadConfig({}, { env: {}, cwd, homeDir: dir() })).toThrowError(ConfigError)
    try {
      loadConfig({}, { env: {}, cwd, homeDir: dir() })
    } catch (error) {
      const message = (error as Error).message
      expect(message).toContain(file)
      expect(message).toMatch(/mode: .*economy.*balanced.*quality/)
      expect(message).toContain('providers.groq')
      expect(message).toContain('temprature')
    }
    writeFileSync(file, '{ not json')
    expect(() => loadConfig({}, { env: {}, cwd, homeDir: dir() })).toThrow(/not valid JSON/)
    writeFileSync(file, JSON.stringify({ free_llm_priority: ['nosuch'] }))
    expect(() => loadConfig({}, { env: {}, cwd, homeDir: dir() })).toThrow(/unknown provider "nosuch"/)
  })

  it('lets the command line override the file', () => {
    const cwd = dir()
    writeFileSync(join(cwd, 'smartsplit.json'), JSON.stringify({ mode: 'economy', server: { port: 9000 } }))
    const config = loadConfig(
      { mode: 'quality', port: 9100, host: '0.0.0.0' },
      { env: {}, cwd, homeDir: dir() },
    )
    expect([config.mode, config.server.port, config.server.host]).toEqual(['quality', 9100, '0.0.0.0'])
  })

  it(`replaces \${VAR} in config strings, and names the field when the variable is unset`, () => {
    const cwd = dir()
    const file = join(cwd, 'smartsplit.json')
    writeFileSync(
      file,
      JSON.stringify({
        providers: {
          groq: { api_key: `\${GROQ_API_KEY}` },
          mine: { base_url: `http://\${HOST}:8000/v1`, model: 'm' },
        },
      }),
    )
    const config = loadConfig(
      {},
      { env: { GROQ_API_KEY: 'gsk_from_env', HOST: '127.0.0.1' }, cwd, homeDir: dir() },
    )
    expect(config.providers.find((p) => p.name === 'groq')!.apiKeys).toEqual(['gsk_from_env'])
    expect(config.providers.find((p) => p.name === 'mine')!.baseUrl).toBe('http://127.0.0.1:8000/v1')
    expect(() => loadConfig({}, { env: { HOST: 'h' }, cwd, homeDir: dir() })).toThrow(
      `${file}: providers.groq.api_key: refers to \${GROQ_API_KEY}, which is not set: set GROQ_API_KEY in the environment or in .env`,
    )
    expect(() => loadConfig({}, { env: { GROQ_API_KEY: '', HOST: 'h' }, cwd, homeDir: dir() })).toThrow(
      /providers\.groq\.api_key: refers to \$\{GROQ_API_KEY\}, which is not set/,
    )
  })

  it('rejects an unknown provider in a routing row, naming the file, the task and the name', () => {
    const cwd = dir()
    const file = join(cwd, 'smartsplit.json')
    const load = (routing: unknown) => {
      writeFileSync(file, JSON.stringify({ routing }))
      return () => loadConfig({}, { env: {}, cwd, homeDir: dir() })
    }
    expect(load({ code: ['openrouterr'] })).toThrow(
      new RegExp(
        `^${file}: routing\\.code\\.0: unknown provider "openrouterr" in "openrouterr"; known providers: groq, `,
      ),
    )
    expect(load({ math: ['groq', 'groq = cerebrass'] })).toThrow(
      /routing\.math\.1: unknown provider "cerebrass" in "groq = cerebrass"/,
    )
    expect(load({ code: ['openrouter', 'cerebras = gemini'] })().routing.code).toEqual([
      'openrouter',
      'cerebras = gemini',
    ])
  })

  it('says on which line and column a config file stops being JSON', () => {
    const cwd = dir()
    const file = join(cwd, 'smartsplit.json')
    writeFileSync(file, '{\n  "mode": "economy",\n  oops: 1\n}\n')
    expect(() => loadConfig({}, { env: {}, cwd, homeDir: dir() })).toThrow(
      `${file}: not valid JSON (line 3, column 3: Expected double-quoted property name)`,
    )
    writeFileSync(file, '{\n  "mode": ')
    expect(() => loadConfig({}, { env: {}, cwd, homeDir: dir() })).toThrow(
      /not valid JSON \(line 2, column 11: /,
    )
  })
})
