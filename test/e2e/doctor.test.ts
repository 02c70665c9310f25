import { once } from 'node:events'
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runDoctor } from '../../src/cli/doctor.js'
import type { ConfigOverrides } from '../../src/config/load-config.js'
import { withDotenv } from '../../src/config/read-dotenv.js'
import type { ConfigFile } from '../../src/config/schema.js'
import { seededRandom } from '../../src/lib/random.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { freePort } from '../support/free-port.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

// `smartsplit doctor` against fake upstreams: one real one-token request per key, the data dir and the
// port checked for real, output captured from `out`.

const GOOD_KEY = 'gsk_fake_good0123456789abcdef'
const BAD_KEY = 'csk-fake-wrong0123456789abcdef'

let good: FakeOpenAI
let rejecting: FakeOpenAI

beforeAll(async () => {
  good = await startFakeOpenAI({
    apiKey: GOOD_KEY,
    models: ['openai/gpt-oss-120b', 'llama-3.1-8b-instant'],
    rateLimitHeaders: {
      'x-ratelimit-limit-requests': '14400',
      'x-ratelimit-remaining-requests': '14399',
      'x-ratelimit-reset-requests': '6s',
      'x-ratelimit-limit-tokens': '6000',
      'x-ratelimit-remaining-tokens': '5990',
      'x-ratelimit-reset-tokens': '100ms',
    },
  })
  rejecting = await startFakeOpenAI({ apiKey: 'the-real-key' })
})

afterAll(async () => {
  await good.close()
  await rejecting.close()
})

interface Run {
  exitCode: number
  output: string
  lineFor(name: string): string
}

async function doctor(config: ConfigFile | string, overrides: ConfigOverrides = {}): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-doctor-'))
  const path = join(dir, 'smartsplit.json')
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config))
  const lines: string[] = []
  const result = await runDoctor(
    { configPath: path, dataDir: join(dir, 'data'), port: await freePort(), ...overrides },
    {
      sources: { env: {}, cwd: dir, homeDir: dir },
      out: (text) => lines.push(text),
      random: seededRandom(1),
    },
  )
  const output = lines.join('\n')
  return {
    exitCode: result.exitCode,
    output,
    lineFor: (name) =>
      output.split('\n').find((line) => new RegExp(`^\\s+\\S\\s+${name}\\s`).test(line)) ?? '',
  }
}

const oneGood = (): ConfigFile => ({ providers: { groq: { api_key: GOOD_KEY, base_url: good.url } } })

describe('smartsplit doctor', () => {
  it('marks a good key ✓ with latency and quota, a rejected one ✗ with its 401 and a hint, and exits 1', async () => {
    const run = await doctor({
      providers: {
        groq: { api_key: GOOD_KEY, base_url: good.url },
        cerebras: { api_key: BAD_KEY, base_url: rejecting.url },
      },
    })
    expect(run.exitCode).toBe(1)
    expect(run.lineFor('groq')).toMatch(
      /✓\s+groq\s+\d+ ms\s+14399\/14400 req\/day, 5990\/6000 tok\/min\s+\S+/,
    )
    expect(run.lineFor('cerebras')).toMatch(
      /✗\s+cerebras\s+\d+ ms\s+answered 401: Incorrect API key provided/,
    )
    expect(run.output).toMatch(/→ the key was rejected: check CEREBRAS_API_KEY \(new key: https:\/\//)
    expect(run.lineFor('config')).toMatch(/✓\s+config\s+.*smartsplit\.json is valid/)
    expect(run.lineFor('data dir')).toMatch(/✓\s+data dir\s+.*created on start/)
    expect(run.lineFor('port')).toMatch(/✓\s+port\s+127\.0\.0\.1:\d+ is free/)
    expect(run.output).toMatch(/1 problem found\.$/)
    // One tiny request per key, through the real adapter.
    const probe = good.requests.at(-1)!
    expect(probe.body).toMatchObject({ stream: true, max_tokens: 1 })
    expect(run.output).not.toContain(BAD_KEY)
    expect(run.output).not.toContain(GOOD_KEY)
  })

  it('checks every key of a provider, and exits 0 when everything works', async () => {
    const before = good.requests.length
    const run = await doctor({
      providers: { groq: { api_keys: [GOOD_KEY, 'gsk_revoked0123456789'], base_url: good.url } },
    })
    expect(run.lineFor('groq #1')).toMatch(/✓\s+groq #1\s/)
    expect(run.lineFor('groq #2')).toMatch(/✗\s+groq #2\s+\d+ ms\s+answered 401: /)
    expect(run.exitCode).toBe(1)
    // Each key with the default model, and the fast model (a different one for Groq) on the first key.
    expect(good.requests.slice(before).map((r) => r.body.model)).toEqual(
      expect.arrayContaining(['openai/gpt-oss-120b', 'openai/gpt-oss-120b', 'llama-3.1-8b-instant']),
    )
    expect(good.requests.length).toBe(before + 3)
    const allGood = await doctor(oneGood())
    expect(allGood.exitCode).toBe(0)
    expect(allGood.output).toMatch(/All checks passed\.$/)
    expect(allGood.output.split('\n')[0]).toMatch(/^SmartSplit \S+ doctor$/)
  })

  it('accepts a port already served by SmartSplit and fails one held by another program', async () => {
    const running = await startSmartSplit({ providers: { groq: { api_key: GOOD_KEY, base_url: good.url } } })
    const other = createHttpServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' })
      res.end('<h1>Not Found</h1>')
    }).listen(0, '127.0.0.1')
    await once(other, 'listening')
    try {
      const port = Number(new URL(running.url).port)
      const served = await doctor(oneGood(), { port })
      expect(served.lineFor('port')).toMatch(/✓\s+port\s+127\.0\.0\.1:\d+ is served by SmartSplit \d/)
      const taken = await doctor(oneGood(), { port: (other.address() as { port: number }).port })
      expect(taken.lineFor('port')).toMatch(/✗\s+port\s+.*in use by another program/)
      expect(taken.output).toMatch(/→ stop it .* or choose another port with --port/)
    } finally {
      other.close()
      await running.close()
    }
  })

  it('reports an invalid configuration with the field, and still checks the data dir and port', async () => {
    const run = await doctor({ mode: 'fastest' } as unknown as ConfigFile)
    expect(run.exitCode).toBe(1)
    expect(run.lineFor('config')).toMatch(/✗\s+config\s+.*invalid configuration; mode: /)
    expect(run.lineFor('providers')).toMatch(/–\s+providers\s+not checked/)
    expect(run.lineFor('data dir')).toContain('✓')
    expect(run.lineFor('port')).toContain('✓')
    const broken = await doctor('{ "mode": ')
    expect(broken.lineFor('config')).toMatch(/✗\s+config\s+.*not valid JSON/)
  })

  it('fails a data dir that cannot be created and warns about one other users can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-doctor-dir-'))
    writeFileSync(join(dir, 'file'), '')
    const blocked = await doctor(oneGood(), { dataDir: join(dir, 'file', 'data') })
    expect(blocked.lineFor('data dir')).toMatch(
      /✗\s+data dir\s+.*cannot be created: .*file is not a directory/,
    )
    const open = join(dir, 'open')
    mkdirSync(open)
    chmodSync(open, 0o755)
    const readable = await doctor(oneGood(), { dataDir: open })
    expect(readable.lineFor('data dir')).toMatch(/!\s+data dir\s+.*readable by other users \(0755\)/)
    expect(readable.output).toContain(`→ chmod 700 ${open}`)
    expect(readable.exitCode).toBe(0)
  })

  it('probes the fast and the strong model too, naming the setting of the one that fails', async () => {
    const before = good.requests.length
    const usual = good.defaultBehavior
    // OpenAI's answer to an unknown model.
    good.defaultBehavior = (body) =>
      body.model === 'no-such-model'
        ? {
            kind: 'error',
            status: 404,
            body: {
              error: {
                message: 'The model `no-such-model` does not exist or you do not have access to it.',
                type: 'invalid_request_error',
                param: null,
                code: 'model_not_found',
              },
            },
          }
        : { kind: 'text', text: 'ok' }
    const run = await doctor({
      providers: {
        groq: { api_key: GOOD_KEY, base_url: good.url, fast_model: 'no-such-model', strong_model: 'big-one' },
      },
    }).finally(() => {
      good.defaultBehavior = usual
    })
    const models = good.requests.slice(before).map((r) => r.body.model)
    expect(models.sort()).toEqual(['big-one', 'no-such-model', 'openai/gpt-oss-120b'])
    expect(run.lineFor('groq')).toMatch(/✓\s+groq\s+\d+ ms\s+.*openai\/gpt-oss-120b/)
    expect(run.lineFor('groq fast')).toMatch(/✗\s+groq fast\s+\d+ ms\s+answered 404/)
    // Groq's 404 `model_not_found` reads as a model it does not serve.
    expect(run.output).toContain(
      '→ no-such-model is retired or unknown here: pick another in providers.groq.fast_model',
    )
    expect(run.lineFor('groq strong')).toMatch(/✓\s+groq strong\s+.*big-one/)
    expect(run.exitCode).toBe(1)
  })

  it('lists every place a config file is looked for, and shows web search status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-doctor-nofile-'))
    const lines: string[] = []
    await runDoctor(
      { dataDir: join(dir, 'data'), port: await freePort() },
      { sources: { env: {}, cwd: dir, homeDir: dir }, out: (text) => lines.push(text) },
    )
    const output = lines.join('\n')
    expect(output).toMatch(
      /config\s+no file: .*--config, \$SMARTSPLIT_CONFIG, \.\/smartsplit\.json, ~\/\.config\/smartsplit\/config\.json/,
    )
    expect(output).toMatch(/web search\s+off: set SERPER_API_KEY, TAVILY_API_KEY or BRAVE_API_KEY/)
    const searching = await doctor({
      ...oneGood(),
      providers: { ...oneGood().providers, brave: { api_key: 'bsa-1' } },
    })
    expect(searching.lineFor('web search')).toMatch(/✓\s+web search\s+brave/)
  })

  it('says what .env in the working directory contributed, by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-doctor-env-'))
    // Search keys only: doctor sends no request for them (a provider key would be probed for real).
    writeFileSync(join(dir, '.env'), 'BRAVE_API_KEY=bsa-from-file-1\nSERPER_API_KEY=serper-1\n')
    const loaded = withDotenv({ env: { SERPER_API_KEY: 'serper-shell' }, cwd: dir })
    const lines: string[] = []
    await runDoctor(
      { dataDir: join(dir, 'data'), port: await freePort() },
      { ...loaded, sources: { ...loaded.sources, homeDir: dir }, out: (text) => lines.push(text) },
    )
    const output = lines.join('\n')
    expect(output).toMatch(
      /✓\s+\.env\s+.*\.env: read BRAVE_API_KEY; already set, kept from the environment: SERPER_API_KEY/,
    )
    expect(output).toMatch(/✓\s+web search\s+serper, brave/)
    expect(output).not.toContain('bsa-from-file-1')
  })

  it('names the setting that keeps a provider off instead of "no provider is configured"', async () => {
    const run = await doctor({
      providers: { cloudflare: { api_key: 'cf-key-0123456789' }, openai: { enabled: true } },
    })
    expect(run.exitCode).toBe(1)
    expect(run.lineFor('cloudflare')).toMatch(/–\s+cloudflare\s+no account id: set CLOUDFLARE_ACCOUNT_ID/)
    expect(run.lineFor('openai')).toMatch(/–\s+openai\s+no API key: set OPENAI_API_KEY/)
    expect(run.lineFor('providers')).toMatch(
      /✗\s+providers\s+no provider is usable: .*cloudflare: no account id/,
    )
    expect(run.output).not.toContain('no provider is configured')
    const paid = await doctor({ ...oneGood() }, {})
    expect(paid.lineFor('openai')).toBe('')
  })

  it('says how to add a provider when none is configured', async () => {
    const run = await doctor({})
    expect(run.exitCode).toBe(1)
    expect(run.lineFor('providers')).toMatch(/✗\s+providers\s+no provider is configured/)
    expect(run.output).toContain('→ set a free key, e.g. GROQ_API_KEY')
  })

  it('fails a non-loopback host without an access key, unless --insecure or a key is given', async () => {
    const open = await doctor(oneGood(), { host: '0.0.0.0' })
    expect(open.exitCode).toBe(1)
    expect(open.lineFor('access')).toMatch(/✗\s+access\s+0\.0\.0\.0 is reachable .* would refuse to start/)
    expect(open.output).toContain('→ set SMARTSPLIT_API_KEY')
    const insecure = await doctor(oneGood(), { host: '0.0.0.0', insecure: true })
    expect(insecure.exitCode).toBe(0)
    expect(insecure.lineFor('access')).toMatch(/!\s+access\s+--insecure: /)
    const keyed = await doctor(
      { ...oneGood(), server: { api_keys: ['access-key-0123456789'] } },
      { host: '0.0.0.0' },
    )
    expect(keyed.lineFor('access')).toMatch(/✓\s+access\s+.*access keys required/)
    expect(keyed.exitCode).toBe(0)
  })

  it('recognises a SmartSplit that tells a caller without its access key only its status', async () => {
    // What /health answers without a key once access keys are set.
    const locked = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"status":"ok"}')
    }).listen(0, '127.0.0.1')
    await once(locked, 'listening')
    try {
      const run = await doctor(oneGood(), { port: (locked.address() as { port: number }).port })
      expect(run.lineFor('port')).toMatch(/✓\s+port\s+.*served by SmartSplit \(asks for an access key\)/)
    } finally {
      locked.close()
    }
  })
})
