import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serve } from '../../src/cli/serve.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { chunkFrame, type Misbehavior, type RawUpstream, startRawUpstream } from './raw-upstream.js'

// Issue 9, security: provider keys never appear in anything SmartSplit writes. Upstreams here echo the
// key they received in every place an error can carry text; the test then greps every log line, response
// body and response header SmartSplit produced during the run, and the SQLite store it leaves in its data
// dir, for each key. The CLI's banner and startup warnings (a config file readable by others) too.

const KEYS = {
  groq: 'gsk_LeakCheckGroqKey0000000000000001',
  cerebras: 'csk-leakcheckcerebraskey00000000002',
  // A custom provider's key has no recognisable prefix: only the configured-secret redaction can catch it.
  mylocal: 'Zq7-custom-secret-leakcheck-0003',
}

const keyOf = (req: IncomingMessage): string =>
  String(req.headers.authorization ?? '').replace(/^Bearer /, '')
const json =
  (status: number, body: unknown): Misbehavior =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
const echo =
  (status: number): Misbehavior =>
  (res, req) =>
    json(status, {
      error: {
        message: `Incorrect API key provided: ${keyOf(req)}`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
    })(res, req)

const behaviors: Record<string, Misbehavior> = {
  '401 echoing the key': echo(401),
  '400 echoing the key': echo(400),
  '429 echoing the key': echo(429),
  '500 HTML echoing the key': (res, req) => {
    res.writeHead(500, { 'content-type': 'text/html' })
    res.end(`<html><body>upstream rejected key ${keyOf(req)}</body></html>`)
  },
  'Mistral-style 422 echoing the key': (res, req) =>
    json(422, { object: 'error', message: { detail: [{ msg: `bad key ${keyOf(req)}` }] } })(res, req),
  'error event echoing the key': (res, req) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.end(
      `data: ${JSON.stringify({ error: { message: `key ${keyOf(req)} is over quota`, code: 429 } })}\n\n`,
    )
  },
  'content, then an error event echoing the key': async (res, req) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write(chunkFrame('partial '))
    await new Promise((resolve) => setTimeout(resolve, 20))
    res.end(`data: ${JSON.stringify({ error: { message: `key ${keyOf(req)} revoked`, code: 500 } })}\n\n`)
  },
  'plain text echoing the key': (res, req) => {
    res.writeHead(503, { 'content-type': 'text/plain' })
    res.end(`Service Unavailable (Authorization: Bearer ${keyOf(req)})`)
  },
}

let upstream: RawUpstream
let smartsplit: RunningSmartSplit
let isClosed = false
const dataDir = mkdtempSync(join(tmpdir(), 'smartsplit-keyleaks-'))
const written: string[] = []

beforeAll(async () => {
  upstream = await startRawUpstream(behaviors)
  smartsplit = await startSmartSplit({
    data_dir: dataDir,
    // Prompts stored too: more of what a request carries ends up on disk to be grepped.
    log_prompts: true,
    free_llm_priority: ['groq', 'cerebras', 'mylocal'],
    providers: {
      groq: { base_url: upstream.url, api_key: KEYS.groq },
      cerebras: { base_url: upstream.url, api_key: KEYS.cerebras },
      mylocal: { base_url: upstream.url, api_key: KEYS.mylocal, model: 'local-model' },
    },
    timeouts: { first_byte_ms: 1_000, keepalive_ms: 200 },
  })
})
afterAll(async () => {
  if (!isClosed) await smartsplit.close()
  await upstream.close()
})

/** Everything in the data dir (database, WAL), read as text: keys would appear as plain UTF-8. */
function storeFiles(): string {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('smartsplit.db'))
    .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
    .join('\n')
}

function expectNoKey(everything: string, key: string): void {
  const at = everything.indexOf(key)
  expect(at, `found at: …${everything.slice(Math.max(0, at - 200), at + 60)}`).toBe(-1)
  // Nor a long enough piece of it to be useful (the redaction keeps only a short prefix).
  expect(everything).not.toContain(key.slice(0, 16))
}

async function capture(method: 'GET' | 'POST', path: string, body?: unknown): Promise<number> {
  const response = await request(`${smartsplit.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  written.push(JSON.stringify(response.headers), await response.body.text())
  return response.statusCode
}

describe('provider keys in everything SmartSplit writes', () => {
  it('sends every key-echoing failure through SmartSplit, pinned and routed, streamed and not', async () => {
    const models = ['smartsplit', 'groq/any-model', 'cerebras/any-model', 'mylocal/local-model']
    const statuses: number[] = []
    for (const scenario of Object.keys(behaviors)) {
      for (const model of models) {
        for (const stream of [false, true]) {
          const messages = [{ role: 'user', content: scenario }]
          statuses.push(await capture('POST', '/v1/chat/completions', { model, stream, messages }))
        }
      }
    }
    for (const path of ['/health', '/v1/models', '/metrics', '/savings', '/v1/models/groq%2Fany']) {
      await capture('GET', path)
    }
    // The upstream errors did reach the client, so the grep below has something to look at.
    expect(statuses.filter((status) => status >= 400).length).toBeGreaterThan(20)
    expect(written.join('\n')).toMatch(/Incorrect API key provided/)
  }, 30_000)

  it.each(Object.entries(KEYS))('never writes the %s key in a log line, body or header', (_name, key) => {
    const everything = [...smartsplit.logs, ...written].join('\n')
    expect(everything.length).toBeGreaterThan(10_000)
    expectNoKey(everything, key)
  })

  it('never writes a key into the store it leaves in the data dir', async () => {
    await smartsplit.close() // flushes the batched writes
    isClosed = true
    const store = storeFiles()
    // The run was recorded (prompts included), so there is something to grep.
    expect(store).toContain('echoing the key')
    for (const key of Object.values(KEYS)) expectNoKey(store, key)
  })

  it('never prints a key in the banner or the warning about a config file others can read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-keyleaks-cli-'))
    const file = join(dir, 'smartsplit.json')
    const providers = Object.fromEntries(
      Object.entries(KEYS).map(([name, key]) => [name, { base_url: upstream.url, api_key: key, model: 'm' }]),
    )
    writeFileSync(
      file,
      JSON.stringify({ providers, server: { port: 0, api_keys: ['ss-access-leakcheck-0004'] } }),
    )
    chmodSync(file, 0o644)
    const printed: string[] = []
    let stop: (signal: string) => void = () => {}
    const exited = new Promise<number>((resolve) => {
      void serve(
        { configPath: file, dataDir: dir },
        {
          sources: { env: {}, cwd: dir, homeDir: dir },
          out: (text) => printed.push(text),
          warn: (text) => printed.push(text),
          onShutdownSignal: (handler) => {
            stop = handler
          },
          exit: resolve,
          checksFileModes: true,
        },
      ).then(() => stop('SIGTERM'))
    })
    expect(await exited).toBe(0)
    const everything = printed.join('\n')
    expect(everything).toContain(`chmod 600 ${file}`)
    for (const key of [...Object.values(KEYS), 'ss-access-leakcheck-0004']) expectNoKey(everything, key)
  })
})
