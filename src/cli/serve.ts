import { statSync } from 'node:fs'
import { type Logger, pino } from 'pino'
import { type App, createApp } from '../app.js'
import type { ConfigOverrides, ConfigSources } from '../config/load-config.js'
import { loadConfig } from '../config/load-config.js'
import type { DotenvSummary } from '../config/read-dotenv.js'
import type { Config } from '../config/types.js'
import { watchConfig } from '../config/watch-config.js'
import type { Drain } from '../http/security/drain-connections.js'
import { exposureProblem, isLoopbackHost } from '../http/security/loopback.js'
import { systemClock } from '../lib/clock.js'
import { systemRandom } from '../lib/random.js'
import { DataDirInUseError } from '../state/store/data-dir-lock.js'
import { formatBanner } from './banner.js'
import { CliExit } from './cli-exit.js'
import { reloadConfig } from './reload-config.js'
import { workerPrometheus } from './worker-prometheus.js'

export interface ServeIo {
  sources: ConfigSources
  /** What `.env` in the working directory contributed (the banner says so); null without one. */
  dotenv?: DotenvSummary | null
  out: (text: string) => void
  /** Warnings the operator must see even when stdout is discarded: stderr. */
  warn: (text: string) => void
  onShutdownSignal: (handler: (signal: string) => void) => void
  /** SIGHUP: reload the config (the file is watched too). */
  onReloadSignal?: (handler: () => void) => void
  /** Ends the process once shutdown is complete. */
  exit: (code: number) => void
  /** False where file modes say nothing about who may read a file (Windows). */
  checksFileModes: boolean
  /** Set in a worker of `--workers`: it tells the primary its URL instead of printing the banner. */
  worker?: { announce(url: string): void }
}

// The async logger buffers up to this much; a quiet server still shows its lines within a second.
const LOG_BUFFER_BYTES = 4096
const LOG_FLUSH_INTERVAL_MS = 1_000

/** A config file holding keys that group or others may read, as a warning naming the fix; else null. */
function configFileWarning(config: Config): string | null {
  if (config.source === null || !config.sourceHoldsKeys) return null
  let mode: number
  try {
    mode = statSync(config.source).mode
  } catch {
    return null
  }
  if ((mode & 0o077) === 0) return null
  const octal = (mode & 0o777).toString(8).padStart(3, '0')
  return `Warning: ${config.source} holds API keys and other users can read it (mode ${octal}). Restrict it: chmod 600 ${config.source}`
}

function startupWarnings(config: Config, overrides: ConfigOverrides, io: ServeIo): string[] {
  const warnings: string[] = []
  const { host, port, apiKeys } = config.server
  if (!isLoopbackHost(host) && apiKeys.length === 0 && overrides.insecure === true)
    warnings.push(
      `Warning: --insecure: SmartSplit listens on ${host}:${port} with no access key. Anyone who can reach it can use your provider keys.`,
    )
  const fileWarning = io.checksFileModes ? configFileWarning(config) : null
  if (fileWarning !== null) warnings.push(fileWarning)
  return warnings
}

// Errors opening the SQLite store that mean the directory itself is unusable.
const DATA_DIR_CODES = new Set([
  'ENOTDIR',
  'EACCES',
  'EPERM',
  'EEXIST',
  'EROFS',
  'ENOENT',
  'ENAMETOOLONG',
  'SQLITE_CANTOPEN',
])

/** The app, or a one-line exit naming --data-dir (or "data_dir") when the store cannot open its directory. */
function createAppNamingDataDir(
  config: Config,
  overrides: ConfigOverrides,
  logger: Logger,
  isWorker: boolean,
): App {
  try {
    return createApp(config, {
      clock: systemClock,
      random: systemRandom,
      logger,
      dataDirLockHeld: isWorker,
      ...(isWorker ? { prometheus: workerPrometheus } : {}),
    })
  } catch (error) {
    if (error instanceof DataDirInUseError) throw new CliExit(error.message)
    const code = (error as NodeJS.ErrnoException).code
    if (code === undefined || !DATA_DIR_CODES.has(code)) throw error
    const why = `cannot be used (${code}: ${(error as Error).message})`
    throw new CliExit(
      overrides.dataDir !== undefined
        ? `--data-dir ${config.dataDir}: ${why}. Choose a directory you can write to.`
        : `data dir ${config.dataDir}: ${why}. Choose a directory you can write to with --data-dir (or "data_dir" in the config file), or set "store": "memory".`,
    )
  }
}

interface Running {
  app: App
  config: Config
  io: ServeIo
  logger: Logger
  destination: ReturnType<typeof pino.destination>
  flushLogs: NodeJS.Timeout
  stopWatching: () => void
}

/** SIGTERM/SIGINT: refuse new requests, let those in flight finish (a second signal cuts them), exit. */
function shutdownHandler(running: Running): (signal: string) => void {
  const { app, config, io, logger, destination, flushLogs, stopWatching } = running
  let drain: Drain | null = null
  return (signal) => {
    // A second signal means "now": cut what is still running instead of waiting for the deadline.
    if (drain !== null) return drain.cutNow()
    const graceMs = config.server.shutdownGraceMs
    stopWatching()
    io.out(
      `Received ${signal}: refusing new requests, finishing those in flight (up to ${graceMs / 1000} s)…`,
    )
    const draining = app.drain(graceMs)
    drain = draining
    app.close().then(
      () => {
        draining.stop()
        clearInterval(flushLogs)
        destination.flushSync()
        io.out('SmartSplit stopped.')
        io.exit(0)
      },
      (error: unknown) => {
        draining.stop()
        logger.error({ error: String((error as Error).message ?? error) }, 'shutdown failed')
        destination.flushSync()
        io.warn(`smartsplit: could not stop cleanly: ${(error as Error).message ?? String(error)}`)
        io.exit(1)
      },
    )
  }
}

/** `smartsplit` / `smartsplit serve`: load config, listen, print the banner, stop gracefully on a signal. */
export async function serve(overrides: ConfigOverrides, io: ServeIo): Promise<void> {
  const config = loadConfig(overrides, io.sources)
  const problem = exposureProblem(
    config.server.host,
    config.server.apiKeys.length > 0,
    overrides.insecure === true,
  )
  if (problem !== null) throw new CliExit(problem)
  // Asynchronous: a synchronous write per line cost ~2 % CPU per request in the benchmark.
  const destination = pino.destination({ dest: 2, sync: false, minLength: LOG_BUFFER_BYTES })
  const logger = pino({ level: config.logLevel, base: null }, destination)
  const flushLogs = setInterval(() => logger.flush(), LOG_FLUSH_INTERVAL_MS)
  flushLogs.unref()
  const app = createAppNamingDataDir(config, overrides, logger, io.worker !== undefined)
  // The config file is watched and SIGHUP reloads it: providers, keys, routing rows, mode and limits
  // change without a restart.
  const reload = (reason: string) => () => void reloadConfig(app, overrides, io.sources, logger, reason)
  const watcher =
    config.source === null
      ? null
      : watchConfig(config.source, reload('file changed'), (error) =>
          logger.warn({ error: error.message }, 'cannot watch the config file: reload it with SIGHUP'),
        )
  io.onReloadSignal?.(reload('SIGHUP'))
  const stopWatching = (): void => watcher?.close()
  // In place before listening, so a signal at any point from here on (a supervisor that stops
  // SmartSplit as soon as it sees the banner) gets a graceful shutdown, not the default termination.
  io.onShutdownSignal(shutdownHandler({ app, config, io, logger, destination, flushLogs, stopWatching }))
  let url: string
  try {
    url = await app.listen()
  } catch (error) {
    stopWatching()
    await app.close().catch(() => {})
    clearInterval(flushLogs)
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') {
      throw new CliExit(
        `Port ${config.server.port} on ${config.server.host} is already in use (is SmartSplit already running?). Choose another with --port.`,
      )
    }
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new CliExit(
        `Cannot listen on ${config.server.host}:${config.server.port} (${code}). Choose another --host or --port.`,
      )
    }
    throw error
  }
  if (io.worker !== undefined) {
    io.worker.announce(url)
    for (const warning of app.warnings) io.warn(`Warning: ${warning}`)
    return
  }
  io.out(formatBanner(url, config, app.providers, io.dotenv ?? null))
  if (config.server.apiKeys.length > 0)
    io.out('  Access keys are required: clients send one as their API key (Authorization: Bearer).')
  for (const warning of startupWarnings(config, overrides, io)) io.warn(warning)
  for (const warning of app.warnings) io.warn(`Warning: ${warning}`)
}
