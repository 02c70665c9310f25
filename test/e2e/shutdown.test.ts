import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { cliCommand } from '../support/cli-command.js'

// Issue 9, graceful shutdown, on the real CLI: SIGTERM stops accepting, lets in-flight streams finish
// up to server.shutdown_grace_ms, cuts the rest (aborting their upstream requests), flushes the store
// and exits 0.

const KEY = 'gsk_shutdown_key_00000001'

interface Cli {
  child: ChildProcess
  url: string
  dataDir: string
  stdout: () => string
  stderr: () => string
  exited: Promise<number | null>
}

const running: { close(): Promise<void> }[] = []
const children: ChildProcess[] = []
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  for (const item of running.splice(0)) await item.close()
})

async function startCli(fake: FakeOpenAI, graceMs: number): Promise<Cli> {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-shutdown-'))
  const config = join(dir, 'smartsplit.json')
  writeFileSync(
    config,
    JSON.stringify({
      free_llm_priority: ['groq'],
      providers: { groq: { base_url: fake.url, api_key: KEY } },
      quality_gates: false,
      server: { port: 0, shutdown_grace_ms: graceMs },
    }),
    { mode: 0o600 },
  )
  const cli = cliCommand(['--config', config, '--data-dir', dir])
  const child = spawn(cli.command, cli.args, {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir },
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (data: Buffer) => {
    stdout += data
  })
  child.stderr!.on('data', (data: Buffer) => {
    stderr += data
  })
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  const started = Date.now()
  while (!/listening on (http:\/\/\S+)\/v1/.test(stdout)) {
    if (child.exitCode !== null || Date.now() - started > 15_000)
      throw new Error(`CLI did not start: ${stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const url = /listening on (http:\/\/\S+)\/v1/.exec(stdout)![1]!
  return { child, url, dataDir: dir, stdout: () => stdout, stderr: () => stderr, exited }
}

const waitFor = async (condition: () => boolean, ms = 5_000): Promise<void> => {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** Starts a streamed chat request; resolves once its first SSE bytes arrived, with the rest to come. */
async function startStream(url: string, agent: Agent) {
  const response = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  })
  const iterator = response.body[Symbol.asyncIterator]()
  let text = String((await iterator.next()).value ?? '')
  const rest = (async () => {
    try {
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next())
        text += next.value
    } catch {
      // cut by the server: what arrived is the answer
    }
    return text
  })()
  return { status: response.statusCode, rest }
}

describe('graceful shutdown', () => {
  it('on SIGTERM refuses new requests, finishes the stream in flight, and exits 0', async () => {
    const fake = await startFakeOpenAI({
      apiKey: KEY,
      behavior: { kind: 'text', pieces: Array.from({ length: 10 }, (_, i) => `p${i} `), chunkDelayMs: 100 },
    })
    running.push(fake)
    const cli = await startCli(fake, 5_000)
    const agent = new Agent()
    const stream = await startStream(cli.url, agent)
    expect(stream.status).toBe(200)
    cli.child.kill('SIGTERM')
    await waitFor(() => cli.stdout().includes('Received SIGTERM'))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const fresh = new Agent()
    const second = request(`${cli.url}/health`, { dispatcher: fresh })
    await expect(second).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    const text = await stream.rest
    expect(text).toContain('p9 ')
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true)
    expect(await cli.exited).toBe(0)
    expect(cli.stdout()).toContain('SmartSplit stopped.')
    expect(fake.requests.filter((r) => r.aborted)).toEqual([])
    // The store was flushed on the way out: the request finished during shutdown is on disk.
    const db = new Database(join(cli.dataDir, 'smartsplit.db'), { readonly: true })
    const logged = db.prepare('SELECT count(*) AS n FROM request_log').get() as { n: number }
    db.close()
    expect(logged.n).toBe(1)
    await Promise.all([agent.close(), fresh.close()])
  }, 30_000)

  it('cuts streams still running at server.shutdown_grace_ms, aborting their upstream, and exits 0', async () => {
    const fake = await startFakeOpenAI({
      apiKey: KEY,
      behavior: { kind: 'text', pieces: Array.from({ length: 60 }, (_, i) => `p${i} `), chunkDelayMs: 100 },
    })
    running.push(fake)
    const cli = await startCli(fake, 300)
    const agent = new Agent()
    const stream = await startStream(cli.url, agent)
    const signalledAt = Date.now()
    cli.child.kill('SIGTERM')
    const text = await stream.rest
    expect(text).not.toContain('[DONE]')
    // The cut stream ends with an error event saying why, so the client knows the answer is incomplete.
    const last = text.trim().split('\n\n').at(-1) ?? ''
    expect(JSON.parse(last.replace(/^data: /, ''))).toMatchObject({ error: { code: 'shutting_down' } })
    expect(await cli.exited).toBe(0)
    expect(Date.now() - signalledAt).toBeLessThan(4_000)
    await waitFor(() => fake.requests[0]?.aborted === true, 1_000)
    // What the cut request used is on disk: reported before the store closed.
    const db = new Database(join(cli.dataDir, 'smartsplit.db'), { readonly: true })
    const logged = db.prepare('SELECT count(*) AS n FROM request_log').get() as { n: number }
    const usage = db.prepare('SELECT sum(requests) AS n FROM usage').get() as { n: number | null }
    db.close()
    expect(logged.n).toBe(1)
    expect(usage.n).toBe(1)
    await agent.close()
  }, 30_000)
})
