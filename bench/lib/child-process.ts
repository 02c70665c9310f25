import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'

// Starts a server as a child process and waits for the stdout line that says it listens. The child's
// CPU time and RSS are read from /proc (Linux), so they cover only that process, not the benchmark.

export interface RunningChild {
  pid: number
  /** The capture groups of the ready pattern. */
  ready: RegExpMatchArray
  usage(): ProcessUsage | null
  stop(): Promise<void>
}

export interface ProcessUsage {
  rssBytes: number
  cpuMs: number
}

const TICK_MS = 10 // USER_HZ is 100 on every Linux this runs on

export function readProcessUsage(pid: number): ProcessUsage | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    const cpuTicks = Number(fields[11]) + Number(fields[12])
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN)
    return { rssBytes: rssKb * 1024, cpuMs: cpuTicks * TICK_MS }
  } catch {
    return null
  }
}

/** A process and every descendant (the workers of `--workers N`), summed; null when it is gone. */
export function readProcessTreeUsage(pid: number): ProcessUsage | null {
  const own = readProcessUsage(pid)
  if (own === null) return null
  let children: number[] = []
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
  } catch {
    // no children file (kernel without CONFIG_PROC_CHILDREN): the process alone
  }
  for (const child of children) {
    const usage = readProcessTreeUsage(child)
    if (usage === null) continue
    own.cpuMs += usage.cpuMs
    own.rssBytes += usage.rssBytes
  }
  return own
}

export interface SpawnOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  readyPattern: RegExp
  /** stderr goes to this file (a pipe nobody reads would block the child once full). */
  stderrFile: string
  timeoutMs?: number
}

export async function spawnChild(
  command: string,
  args: string[],
  options: SpawnOptions,
): Promise<RunningChild> {
  const stderrFd = openSync(options.stderrFile, 'w')
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', stderrFd],
  })
  closeSync(stderrFd)
  const pid = child.pid
  if (pid === undefined) throw new Error(`could not start ${command}`)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const ready = await new Promise<RegExpMatchArray>((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`${command} ${args.join(' ')} not ready after ${options.timeoutMs ?? 30_000} ms: ${seen}`),
      )
    }, options.timeoutMs ?? 30_000)
    child.stdout?.on('data', (data: Buffer) => {
      seen += data.toString('utf8')
      const match = options.readyPattern.exec(seen)
      if (match !== null) {
        clearTimeout(timer)
        resolve(match)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(
        new Error(`${command} exited with ${code} before it was ready (see ${options.stderrFile}): ${seen}`),
      )
    })
  })
  // Keep draining stdout so a chatty child never blocks on a full pipe.
  child.stdout?.on('data', () => {})

  return {
    pid,
    ready,
    usage: () => readProcessUsage(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
