import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

// The real CLI in its own process (from sources through tsx), for what only a process shows: how it
// exits, what it prints, what survives kill -9, and limits set on the process (ulimit).

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
// Node itself with tsx's loader, not the tsx CLI: that one runs SmartSplit in a child process, which
// a kill -9 of the CLI would leave running.
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
const MAIN = join(ROOT, 'src', 'main.ts')

export interface SpawnedSmartSplit {
  child: ChildProcess
  /** Base URL once the banner is out (e.g. http://127.0.0.1:41234), or null if it exited first. */
  url: string | null
  stdout(): string
  stderr(): string
  /** Resolves with the exit code (null after a signal) once the process has ended. */
  exited: Promise<number | null>
}

/**
 * Starts `smartsplit serve` with `args` in `cwd`; `shellPrefix` runs first in the same shell (e.g.
 * `ulimit -f 256`). Resolves once it listens or exits, whichever comes first (at most `timeoutMs`).
 */
export async function spawnSmartSplit(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; shellPrefix?: string; timeoutMs?: number },
): Promise<SpawnedSmartSplit> {
  const command = [process.execPath, '--import', TSX_LOADER, MAIN, ...args]
    .map((word) => `'${word.replace(/'/g, `'\\''`)}'`)
    .join(' ')
  const child = spawn('/bin/sh', ['-c', `${options.shellPrefix ?? ''}\nexec ${command}`], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: options.cwd, ...options.env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (data: Buffer) => {
    stdout += data
  })
  child.stderr.on('data', (data: Buffer) => {
    stderr += data
  })
  const exited = once(child, 'close').then(([code]) => code as number | null)
  const listening = new Promise<string>((resolve) => {
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/\S+)\/v1/.exec(stdout)
      if (match !== null) resolve(match[1]!)
    })
  })
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), options.timeoutMs ?? 20_000))
  const url = await Promise.race([listening, exited.then(() => null), timeout])
  return { child, url, stdout: () => stdout, stderr: () => stderr, exited }
}

/** Ends a spawned SmartSplit (if it still runs) and waits for it. */
export async function stopSmartSplit(
  spawned: SpawnedSmartSplit,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill(signal)
  await spawned.exited
}
