#!/usr/bin/env node
// Process entry: the only module that reads process.* (argv, env, cwd, signals, exit codes).
import cluster from 'node:cluster'
import { setFlagsFromString } from 'node:v8'
import { CommanderError } from 'commander'
import { CliExit } from './cli/cli-exit.js'
import { runDoctor } from './cli/doctor.js'
import { printLogs } from './cli/logs.js'
import { printPlan } from './cli/plan.js'
import { buildProgram } from './cli/program.js'
import { printProviders } from './cli/providers.js'
import { type ServeIo, serve } from './cli/serve.js'
import { serveWorkers } from './cli/serve-workers.js'
import { serverHeapFlag } from './cli/server-heap-flag.js'
import { printStats } from './cli/stats.js'
import { isWorkerMessage } from './cli/worker-message.js'
import { ConfigError } from './config/config-error.js'
import { withDotenv } from './config/read-dotenv.js'

// A closed pipe (`smartsplit | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

const out = (text: string): void => {
  process.stdout.write(`${text}\n`)
}

async function readStdin(): Promise<string> {
  const pieces: Buffer[] = []
  for await (const piece of process.stdin) pieces.push(piece as Buffer)
  return Buffer.concat(pieces).toString('utf8')
}

/** The environment, with `.env` in the working directory merged under it (read when a command runs). */
const loadSources = () => withDotenv({ env: process.env, cwd: process.cwd() })

const program = buildProgram({
  doctor: async (overrides) => {
    const result = await runDoctor(overrides, { ...loadSources(), out })
    process.exitCode = result.exitCode
  },
  stats: (overrides) => printStats(overrides, { sources: loadSources().sources, out }),
  providers: (overrides) => printProviders(overrides, { sources: loadSources().sources, out }),
  logs: (overrides) => {
    // Ctrl-C ends `logs -f` cleanly (exit 0) instead of killing it mid-line.
    const stop = new AbortController()
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort())
    const note = (text: string): void => {
      process.stderr.write(`${text}\n`)
    }
    return printLogs(overrides, { sources: loadSources().sources, out, note, signal: stop.signal })
  },
  plan: (prompt, model, overrides, options) =>
    printPlan(prompt, model, overrides, { ...loadSources(), out, readStdin, ...options }),
  serve: (overrides, { workers }) => {
    // A long-running server: V8 collects old space sooner than its default (see server-heap-flag.ts).
    const heapFlag = serverHeapFlag(process.execArgv)
    if (heapFlag !== null) setFlagsFromString(heapFlag)
    const io: ServeIo = {
      ...loadSources(),
      out,
      warn: (text) => {
        process.stderr.write(`${text}\n`)
      },
      // Not `once`: a second signal must reach the handler (it cuts what still runs) instead of killing.
      onShutdownSignal(handler) {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => handler(signal))
      },
      onReloadSignal(handler) {
        if (process.platform !== 'win32') process.on('SIGHUP', handler)
      },
      exit: (code) => process.exit(code),
      checksFileModes: process.platform !== 'win32',
    }
    if (workers > 1 && cluster.isPrimary) return serveWorkers(overrides, workers, io)
    if (!cluster.isWorker) return serve(overrides, io)
    return serve(overrides, {
      ...io,
      // The primary relays signals (a terminal's Ctrl-C reaches every worker too: it is left to the primary).
      onShutdownSignal(handler) {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => {})
        process.on('message', (message: unknown) => {
          if (isWorkerMessage(message) && message.kind === 'shutdown') handler(message.signal)
        })
      },
      // The primary relays SIGHUP too; one sent to the whole process group reaches the primary as well.
      onReloadSignal(handler) {
        if (process.platform !== 'win32') process.on('SIGHUP', () => {})
        process.on('message', (message: unknown) => {
          if (isWorkerMessage(message) && message.kind === 'reload') handler()
        })
      },
      worker: { announce: (url) => process.send?.({ kind: 'listening', url }) },
    })
  },
})
program.exitOverride()

try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode
  } else if (error instanceof ConfigError || error instanceof CliExit) {
    process.stderr.write(`smartsplit: ${error.message}\n`)
    process.exitCode = error instanceof CliExit ? error.exitCode : 1
  } else {
    process.stderr.write(`smartsplit: unexpected error: ${(error as Error).message}\n`)
    process.exitCode = 1
  }
}
