import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The real CLI, started as a user starts it (from sources through tsx, so no build is needed).

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI until it exits, or until `stopWhen` matches stdout (then sends SIGTERM). */
function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stopWhen?: RegExp } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'smartsplit-cli-'))
    const child = spawn(TSX, [join(ROOT, 'src/main.ts'), ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, ...options.env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => {
      stdout += data
      if (options.stopWhen?.test(stdout)) child.kill('SIGTERM')
    })
    child.stderr.on('data', (data: Buffer) => {
      stderr += data
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('smartsplit CLI', () => {
  it('--help lists every option and the environment it reads', async () => {
    const run = await runCli(['--help'])
    expect(run.code).toBe(0)
    for (const option of [
      '--port',
      '--host',
      '--mode',
      '--log-level',
      '--config',
      '--data-dir',
      '--version',
      'GROQ_API_KEY',
      'SMARTSPLIT_CONFIG',
    ]) {
      expect(run.stdout).toContain(option)
    }
  })

  it('--version prints the package version', async () => {
    const run = await runCli(['--version'])
    expect(run.code).toBe(0)
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('starts without keys, says so and lists where to get them', async () => {
    const run = await runCli(['--port', '0'], { stopWhen: /smartsplit"\./ })
    expect(run.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/v1/)
    expect(run.stdout).toContain('No LLM provider is configured')
    expect(run.stdout).toContain('CEREBRAS_API_KEY')
    expect(run.stdout).toContain('https://console.groq.com/keys')
    expect(run.stdout).toContain('mode: balanced')
  })

  it('prints the enabled providers and the mode in its banner', async () => {
    const run = await runCli(['--port', '0', '--mode', 'quality'], {
      env: { GROQ_API_KEY: 'gsk_cli_test_key_1' },
      stopWhen: /smartsplit"\./,
    })
    expect(run.stdout).toContain('mode: quality')
    expect(run.stdout).toContain('providers: groq')
    expect(run.stdout + run.stderr).not.toContain('gsk_cli_test_key_1')
  })

  it('exits with a clear message when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    const run = await runCli(['--port', String(port)])
    blocker.close()
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`)
    expect(run.stderr).not.toMatch(/\n\s+at /) // no stack trace
  })

  it('exits with a message naming the file and the field when the config is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smartsplit-cfg-'))
    const file = join(dir, 'bad.json')
    writeFileSync(file, JSON.stringify({ mode: 'turbo', providers: { groq: { temperature: 9 } } }))
    const run = await runCli(['--config', file])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(file)
    expect(run.stderr).toContain('mode')
    expect(run.stderr).toContain('providers.groq.temperature')
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('rejects an invalid option value with usage help', async () => {
    const run = await runCli(['--mode', 'fastest'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/Allowed choices are economy, balanced, quality/)
  })
})
