// The package as a user gets it: `npm pack` (prepack builds dist/), install the tarball into a temporary
// prefix, then run the installed `smartsplit`: --version, --help, and a real start on a free port answering
// GET /health, stopped with SIGTERM. Run by .ci/run; exits non-zero with the step that failed.
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'smartsplit-pack-'))
const prefix = join(work, 'prefix')
const home = join(work, 'home')
// Nothing of the caller's environment but PATH: no provider keys, no config, a home of its own.
const env = { PATH: process.env.PATH, HOME: home }

function step(text) {
  console.log(`- ${text}`)
}

function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options })
}

/** Starts the installed bin, waits for its banner, asks /health, stops it; resolves with what it saw. */
function serveOnce(bin, configPath) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--port', '0', '--config', configPath], { cwd: home, env })
    let stdout = ''
    let stderr = ''
    let health = null
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.stderr.on('data', (data) => {
      stderr += data
    })
    child.stdout.on('data', async (data) => {
      stdout += data
      const url = /listening on (http:\/\/\S+)\/v1/.exec(stdout)?.[1]
      if (url === undefined || health !== null) return
      health = 'asking'
      try {
        const response = await fetch(`${url}/health`)
        health = { status: response.status, body: await response.json() }
      } catch (error) {
        health = { status: null, body: String(error) }
      }
      child.kill('SIGTERM')
    })
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(deadline)
      resolve({ code, stdout, stderr, health })
    })
  })
}

try {
  step('npm pack (prepack builds dist/)')
  run('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: ROOT })
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))
  if (tarball === undefined) throw new Error('npm pack made no tarball')
  const listing = run('tar', ['tzf', join(work, tarball)])
  if (!listing.includes('package/dist/main.js')) throw new Error('the tarball has no dist/main.js')

  step(`npm install -g ${tarball} into a temporary prefix`)
  run('npm', ['install', '-g', join(work, tarball), '--prefix', prefix, '--no-audit', '--no-fund'], {
    cwd: work,
  })
  const bin = join(prefix, 'bin', 'smartsplit')

  step('smartsplit --version')
  const expected = JSON.parse(run('npm', ['pkg', 'get', 'version'], { cwd: ROOT }))
  const version = run(bin, ['--version'], { env }).trim()
  if (version !== expected) throw new Error(`--version printed "${version}", expected "${expected}"`)
  step('smartsplit --help')
  if (!run(bin, ['--help'], { env }).includes('Usage: smartsplit')) throw new Error('--help printed no usage')

  step('smartsplit on a free port, GET /health, SIGTERM')
  mkdirSync(home, { recursive: true })
  const configPath = join(home, 'smartsplit.json')
  // A local server that is not running: enough for a provider to be configured and /health to say ok.
  writeFileSync(configPath, JSON.stringify({ providers: { local: { base_url: 'http://127.0.0.1:9/v1' } } }))
  const served = await serveOnce(bin, configPath)
  if (served.health?.status !== 200 || served.health.body?.status !== 'ok')
    throw new Error(`GET /health answered ${JSON.stringify(served.health)}\n${served.stdout}${served.stderr}`)
  if (served.code !== 0 || !served.stdout.includes('SmartSplit stopped.'))
    throw new Error(`did not stop cleanly (exit ${served.code})\n${served.stdout}${served.stderr}`)
  console.log(`package check passed: ${tarball}, version ${version}, /health ok, clean stop`)
} catch (error) {
  console.error(`package check failed: ${error.message}`)
  process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
}
