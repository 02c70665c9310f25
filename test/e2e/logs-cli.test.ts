import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { cliCommand } from '../support/cli-command.js'
import { routeAll } from '../support/route-all.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 20: `smartsplit logs [-f] [--json]` prints the request log the server keeps in its data dir,
// while the server runs: the last requests, then (with -f) each new one as it is recorded.

const GROQ_KEY = 'gsk_logs_cli_groq_key_00000001'
const CEREBRAS_KEY = 'csk-fake-logs-cli-cerebras-key-0002'

function startCli(
  args: string[],
  cwd: string,
): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const cli = cliCommand(args)
  const child = spawn(cli.command, cli.args, { cwd, env: { PATH: process.env.PATH, HOME: cwd } })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (data: Buffer) => {
    stdout += data
  })
  child.stderr?.on('data', (data: Buffer) => {
    stderr += data
  })
  return { child, stdout: () => stdout, stderr: () => stderr }
}

async function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string }> {
  const run = startCli(args, cwd)
  const [code] = (await once(run.child, 'close')) as [number | null]
  return { code, stdout: run.stdout() }
}

async function until(read: () => string, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  while (!pattern.test(read()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
  return read()
}

/** Waits for the server's store to commit what it queued (it writes in batches every second). */
async function committed(smartsplit: RunningSmartSplit): Promise<void> {
  const pending = async (): Promise<number> => {
    const health = (await (await fetch(`${smartsplit.url}/health`)).json()) as {
      store: { pendingWrites: number }
    }
    return health.store.pendingWrites
  }
  const deadline = Date.now() + 5_000
  while ((await pending()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
}

describe('smartsplit logs', () => {
  let groq: FakeOpenAI
  let cerebras: FakeOpenAI
  let smartsplit: RunningSmartSplit
  let client: OpenAI
  let dir: string
  let args: string[]

  beforeAll(async () => {
    groq = await startFakeOpenAI({ model: 'llama', apiKey: GROQ_KEY })
    cerebras = await startFakeOpenAI({ model: 'qwen', apiKey: CEREBRAS_KEY })
    dir = mkdtempSync(join(tmpdir(), 'smartsplit-logs-'))
    const config = {
      data_dir: join(dir, 'data'),
      providers: {
        groq: { base_url: groq.url, api_key: GROQ_KEY, model: 'llama' },
        cerebras: { base_url: cerebras.url, api_key: CEREBRAS_KEY, model: 'qwen' },
      },
      routing: routeAll(['groq', 'cerebras']),
    }
    smartsplit = await startSmartSplit(config)
    // The CLI reads the same file (without the server's port) to find the data dir.
    writeFileSync(join(dir, 'smartsplit.json'), JSON.stringify(config))
    args = ['logs', '--config', join(dir, 'smartsplit.json')]
    client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'unused', maxRetries: 0 })
    groq.queue.push({ kind: 'error', status: 503 })
    await ask(client, { messages: [{ role: 'user', content: 'Say hello.' }] }, false)
    await ask(client, { messages: [{ role: 'user', content: 'Say goodbye.' }] }, true)
    await committed(smartsplit)
  }, 30_000)
  afterAll(async () => {
    await smartsplit.close()
    await groq.close()
    await cerebras.close()
  })

  it('prints the last requests as JSON lines, streamed and not, with attempts and status', async () => {
    const { code, stdout } = await runCli([...args, '--json'], dir)
    expect(code).toBe(0)
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines).toHaveLength(2)
    const [failover, streamed] = lines
    expect(failover).toMatchObject({ endpoint: '/v1/chat/completions', status: 200, provider: 'cerebras' })
    expect(failover.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['overloaded', 'ok'])
    expect(failover.client).toMatch(/^OpenAI\/JS/)
    expect(failover.prompt).toBeNull()
    expect(streamed).toMatchObject({ status: 200, provider: 'groq' })
    expect(streamed.firstTokenMs).toBeGreaterThanOrEqual(0)
  })

  it('prints one line per request for people, and -n limits how many', async () => {
    const { stdout } = await runCli([...args, '-n', '1'], dir)
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}req_\S+ {2}\/v1\/chat\/completions {2}200 {2}/,
    )
    expect(lines[0]).toContain('groq/llama')
  })

  it('follows the log with -f until Ctrl-C, printing each new request as the server records it', async () => {
    const follower = startCli([...args, '-f', '--json', '-n', '0'], dir)
    const closed = once(follower.child, 'close')
    try {
      // Only once it says it follows: a request recorded before it read where the log ends is not new.
      expect(await until(follower.stderr, /Following the request log/, 20_000)).toContain('Ctrl-C to stop')
      expect(follower.stdout()).toBe('')
      const answer = await ask(client, { messages: [{ role: 'user', content: 'One more.' }] }, false)
      const requestId = answer.headers.get('x-request-id')!
      const printed = await until(follower.stdout, new RegExp(requestId))
      expect(JSON.parse(printed.trim())).toMatchObject({ requestId, status: 200 })
      follower.child.kill('SIGINT')
      const [code] = await closed
      expect(code).toBe(0)
    } finally {
      // A failed assertion must not leave the follower running after the suite.
      if (follower.child.exitCode === null && follower.child.signalCode === null)
        follower.child.kill('SIGKILL')
    }
  }, 45_000)
})
