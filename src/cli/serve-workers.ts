import cluster, { type Worker } from 'node:cluster'
import { mkdirSync } from 'node:fs'
import { AggregatorRegistry, type PrometheusContentType } from 'prom-client'
import type { ConfigOverrides } from '../config/load-config.js'
import { loadConfig } from '../config/load-config.js'
import type { Config } from '../config/types.js'
import { exposureProblem } from '../http/security/loopback.js'
import { systemClock } from '../lib/clock.js'
import { systemProcesses } from '../lib/processes.js'
import { redisAddress } from '../state/shared/redis-link.js'
import { DataDirInUseError, type DataDirLock, lockDataDir } from '../state/store/data-dir-lock.js'
import { openStore } from '../state/store/open-store.js'
import { formatBanner } from './banner.js'
import { CliExit } from './cli-exit.js'
import type { ServeIo } from './serve.js'
import { isWorkerMessage, type WorkerMessage } from './worker-message.js'

export const MAX_WORKERS = 64
/** Workers that die on their own within a minute, beyond which the primary stops instead of restarting. */
const MAX_RESTARTS_PER_MINUTE = 5

/** Answers a worker's request for every worker's Prometheus figures, summed by prom-client. */
function relayPrometheus(worker: Worker, aggregator: AggregatorRegistry<PrometheusContentType>): void {
  worker.on('message', (message: unknown) => {
    if (!isWorkerMessage(message) || message.kind !== 'prometheus') return
    const reply = (text: string | null): void => {
      if (worker.isConnected())
        worker.send({ kind: 'prometheus-text', id: message.id, text } satisfies WorkerMessage)
    }
    aggregator.clusterMetrics().then(reply, () => reply(null))
  })
}

/**
 * Takes the data dir for every worker (they share its database) and brings its schema up to date
 * once, so workers starting together do not race to migrate it.
 */
function takeDataDir(config: Config): DataDirLock | null {
  if (config.store !== 'sqlite') return null
  let lock: DataDirLock
  try {
    // A first start: the lock file needs its directory (without it no worker would hold the lock, and
    // the workers would race to create the database).
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 })
    lock = lockDataDir(config.dataDir, systemProcesses, systemClock.nowMs())
  } catch (error) {
    if (error instanceof DataDirInUseError) throw new CliExit(error.message)
    return null // an unusable data dir: each worker says so and runs on memory
  }
  const opened = openStore({
    kind: 'sqlite',
    dataDir: config.dataDir,
    nowMs: () => systemClock.nowMs(),
    retentionDays: config.retentionDays,
    processes: systemProcesses,
    warn: () => {},
    lockHeldByParent: true,
  })
  opened.store.close()
  return lock
}

/** Forks the workers and resolves with their URL once all of them listen; a worker that exits first stops it. */
function forkAll(count: number): Promise<{ url: string; workers: Worker[] }> {
  const workers = Array.from({ length: count }, () => cluster.fork())
  return new Promise<{ url: string; workers: Worker[] }>((resolve, reject) => {
    let listening = 0
    for (const worker of workers) {
      const onExit = (code: number | null) =>
        reject(new CliExit(`a worker stopped before listening (exit ${code}): see the message above`))
      worker.once('exit', onExit)
      worker.on('message', (message: unknown) => {
        if (!isWorkerMessage(message) || message.kind !== 'listening') return
        worker.off('exit', onExit)
        if (++listening === count) resolve({ url: message.url, workers })
      })
    }
  }).catch((error: unknown) => {
    for (const worker of workers) worker.kill()
    throw error
  })
}

/**
 * `smartsplit --workers N`: N processes (Node's cluster) behind one port, one per core. They share
 * provider state through Redis like separate instances do, so N > 1 needs `state.redis_url`: workers
 * that each believed they had every quota to themselves would overshoot every limit N times.
 */
export async function serveWorkers(overrides: ConfigOverrides, count: number, io: ServeIo): Promise<void> {
  const config = loadConfig(overrides, io.sources)
  if (config.sharedState.redisUrl === null)
    throw new CliExit(
      `--workers ${count} needs shared state: set "state": {"redis_url": …} in the config or REDIS_URL (each worker would otherwise believe it has every quota to itself). Without Redis, run one worker.`,
    )
  const problem = exposureProblem(
    config.server.host,
    config.server.apiKeys.length > 0,
    overrides.insecure === true,
  )
  if (problem !== null) throw new CliExit(problem)
  const lock = takeDataDir(config)
  let started: { url: string; workers: Worker[] }
  try {
    started = await forkAll(count)
  } catch (error) {
    lock?.release()
    throw error
  }
  let isStopping = false
  const restarts: number[] = []
  const live = new Set(started.workers)
  const aggregator = new AggregatorRegistry<PrometheusContentType>()
  const watch = (worker: Worker): void => {
    relayPrometheus(worker, aggregator)
    worker.once('exit', (code) => {
      live.delete(worker)
      if (isStopping) {
        if (live.size > 0) return
        lock?.release()
        io.out('SmartSplit stopped.')
        io.exit(0)
        return
      }
      const nowMs = systemClock.nowMs()
      restarts.push(nowMs)
      while (restarts[0]! < nowMs - 60_000) restarts.shift()
      if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
        io.warn(`smartsplit: workers keep stopping (last exit ${code}): shutting down`)
        isStopping = true
        for (const other of live) other.send({ kind: 'shutdown', signal: 'SIGTERM' } satisfies WorkerMessage)
        if (live.size === 0) io.exit(1)
        return
      }
      io.warn(`smartsplit: a worker stopped (exit ${code}); starting another`)
      const replacement = cluster.fork()
      live.add(replacement)
      watch(replacement)
    })
  }
  for (const worker of started.workers) watch(worker)
  io.onShutdownSignal((signal) => {
    if (!isStopping) io.out(`Received ${signal}: the workers finish what they are serving and stop…`)
    isStopping = true
    for (const worker of live) worker.send({ kind: 'shutdown', signal } satisfies WorkerMessage)
  })
  // SIGHUP to the primary (the pid a supervisor knows) reloads every worker's config; left unhandled,
  // it would end the primary.
  io.onReloadSignal?.(() => {
    for (const worker of live) worker.send({ kind: 'reload' } satisfies WorkerMessage)
  })
  io.out(formatBanner(started.url, config, config.providers, io.dotenv ?? null))
  io.out(
    `  ${count} workers, sharing quotas, breakers and learning through ${redisAddress(config.sharedState.redisUrl)}`,
  )
}
