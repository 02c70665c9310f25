import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { freePort } from './free-port.js'

// A real redis-server for the tests that share state: on a free loopback port, in a temporary
// directory, without persistence (a restart comes back empty, as after a crash), stopped after.
// `.ci/run` installs Debian's redis-server; a machine without it skips those tests, saying why.

/** The redis-server on PATH, or null when it is not installed. */
export function findRedisServer(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this directory
    }
  }
  return null
}

export const SKIP_WITHOUT_REDIS =
  findRedisServer() === null
    ? 'redis-server is not installed (apt-get install redis-server; .ci/run installs it)'
    : null

export interface RedisServer {
  url: string
  port: number
  /** Kills it at once (SIGKILL): what it held is lost. */
  kill(): Promise<void>
  /** Freezes it (SIGSTOP): connections stay open, nothing answers; `resume` thaws it. */
  freeze(): void
  resume(): void
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>
  /** The running server's process id (null while it is stopped), for its CPU time in the bench. */
  pid(): number | null
  stop(): Promise<void>
}

async function launch(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server not ready: ${output}`)), 10_000)
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString()
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited (${code}): ${output}`))
    })
  })
  child.stdout?.resume()
  child.stderr?.resume()
  return child
}

export async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer()
  if (binary === null) throw new Error(SKIP_WITHOUT_REDIS ?? 'redis-server is missing')
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-redis-'))
  const port = await freePort()
  let child: ChildProcess | null = await launch(binary, port, dir)
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child
    child = null
    if (running === null || running.exitCode !== null) return
    running.kill('SIGCONT')
    running.kill(signal)
    await once(running, 'exit')
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => end('SIGKILL'),
    freeze: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    pid: () => child?.pid ?? null,
    async restart() {
      await end('SIGKILL')
      child = await launch(binary, port, dir)
    },
    async stop() {
      await end('SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
