import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliCommand } from '../support/cli-command.js'

// Issue 9, security at startup, on the real CLI: a non-loopback address needs an access key or an
// explicit --insecure, and a config file holding keys that others can read is warned about.

const PROVIDER_KEY = 'gsk_cli_security_key_000000001'

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI until it exits, or until its banner is printed (then sends SIGTERM). */
function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const cwd = mkdtempSync(join(tmpdir(), 'smartsplit-seccli-'))
    const cli = cliCommand(['--data-dir', cwd, ...args])
    const child = spawn(cli.command, cli.args, {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, ...env },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (data: Buffer) => {
      stdout += data
      if (/smartsplit"\./.test(stdout)) child.kill('SIGTERM')
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

function configFile(mode: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'smartsplit-seccfg-')), 'smartsplit.json')
  writeFileSync(file, JSON.stringify({ providers: { groq: { api_key: PROVIDER_KEY } }, server: { port: 0 } }))
  chmodSync(file, mode)
  return file
}

describe('startup security', () => {
  it('refuses a non-loopback --host without an access key, saying how to set one', async () => {
    const run = await runCli(['--host', '0.0.0.0', '--port', '0'])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain('Refusing to listen on 0.0.0.0 without an access key')
    expect(run.stderr).toContain('SMARTSPLIT_API_KEY')
    expect(run.stderr).toContain('--insecure')
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(run.stdout).not.toContain('listening')
  })

  it('serves it with --insecure, with a warning on stderr', async () => {
    const run = await runCli(['--host', '0.0.0.0', '--port', '0', '--insecure'])
    expect(run.stdout).toMatch(/listening on http:\/\/0\.0\.0\.0:\d+\/v1/)
    expect(run.stderr).toMatch(/Warning: --insecure: SmartSplit listens on 0\.0\.0\.0:0 with no access key/)
    expect(run.code).toBe(0)
  })

  it('serves it with SMARTSPLIT_API_KEY, saying clients need a key, without printing it', async () => {
    const run = await runCli(['--host', '0.0.0.0', '--port', '0'], {
      SMARTSPLIT_API_KEY: 'ss-cli-access-key-01',
    })
    expect(run.stdout).toContain('Access keys are required')
    expect(run.stderr).not.toContain('Warning')
    expect(run.stdout + run.stderr).not.toContain('ss-cli-access-key-01')
    expect(run.code).toBe(0)
  })

  it('warns once when a config file holding keys is readable by others, naming the file and the fix', async () => {
    const file = configFile(0o644)
    const run = await runCli(['--config', file])
    expect(run.stdout).toContain('listening on')
    const warnings = run.stderr.split('\n').filter((line) => line.startsWith('Warning'))
    expect(warnings).toEqual([
      `Warning: ${file} holds API keys and other users can read it (mode 644). Restrict it: chmod 600 ${file}`,
    ])
    expect(run.stdout + run.stderr).not.toContain(PROVIDER_KEY)
  })

  it('does not warn about a config file only its owner can read', async () => {
    const run = await runCli(['--config', configFile(0o600)])
    expect(run.stdout).toContain('listening on')
    expect(run.stderr).not.toContain('Warning')
  })

  it('lists --insecure and SMARTSPLIT_API_KEY in --help', async () => {
    const run = await runCli(['--help'])
    expect(run.stdout).toContain('--insecure')
    expect(run.stdout).toContain('SMARTSPLIT_API_KEY')
  })
})
