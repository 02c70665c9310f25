import type { ConfigOverrides, ConfigSources } from '../config/load-config.js'
import { loadConfig } from '../config/load-config.js'
import { toRequestView } from '../dashboard/to-request-view.js'
import type { RequestView } from '../dashboard/types.js'
import { MIGRATIONS } from '../state/store/migrations.js'
import { openSqliteReader } from '../state/store/sqlite-reader.js'
import { CliExit } from './cli-exit.js'

export interface LogsOverrides extends ConfigOverrides {
  /** How many of the newest requests to print first (default 20). */
  lines?: number
  follow?: boolean
  json?: boolean
}

export interface LogsIo {
  sources: ConfigSources
  out: (text: string) => void
  /** What the command is doing, apart from the log itself (stderr: `--json` output stays clean). */
  note?: (text: string) => void
  /** Ends `--follow` (Ctrl-C). */
  signal: AbortSignal
  /** How often `--follow` looks for new requests; the server commits its batch every second. */
  pollMs?: number
}

export const DEFAULT_LOG_LINES = 20

const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19)

/** One request on one line, for people: when, what, who answered after which attempts, how long, tokens. */
export function formatRequestLine(request: RequestView): string {
  const answeredBy = request.provider === null ? 'no answer' : `${request.provider}/${request.model ?? ''}`
  const attempts = request.attempts.map((a) => `${a.provider}=${a.outcome}`).join(',')
  const ttft = request.firstTokenMs === null ? '' : ` ttft ${Math.round(request.firstTokenMs)}ms`
  return [
    time(request.timeMs),
    request.requestId ?? '-',
    request.endpoint ?? '-',
    String(request.status ?? request.outcome),
    `${request.task} ${request.route}`,
    answeredBy,
    `[${attempts}]`,
    `${Math.round(request.latencyMs)}ms${ttft}`,
    `${request.tokensIn}→${request.tokensOut} tok`,
    request.client ?? '-',
  ].join('  ')
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
  })

/**
 * `smartsplit logs [-n N] [-f] [--json]`: the request log from the store in the data dir, oldest of the
 * last N first; with -f it then prints each new request as the server records it (until Ctrl-C). Read
 * only, so it works while the server runs. Prompts appear (with --json) only when log_prompts kept them.
 */
export async function printLogs(overrides: LogsOverrides, io: LogsIo): Promise<void> {
  const lines = overrides.lines ?? DEFAULT_LOG_LINES
  if (!Number.isInteger(lines) || lines < 0) throw new CliExit('--lines must be a whole number, 0 or more')
  const config = loadConfig(overrides, io.sources)
  if (config.store === 'memory') {
    io.out(
      'This configuration keeps its state in memory ("store": "memory"): there is no stored request log.',
    )
    return
  }
  const reader = openSqliteReader(config.dataDir, MIGRATIONS.length)
  if (reader === null) {
    io.out(`No request log yet in ${config.dataDir}: SmartSplit creates it there on its first start.`)
    return
  }
  const print = (request: RequestView): void =>
    io.out(overrides.json === true ? JSON.stringify(request) : formatRequestLine(request))
  try {
    const recent = reader.recentRequests(lines).reverse()
    for (const request of recent) print(toRequestView(request))
    if (overrides.follow !== true) return
    let lastId = recent.at(-1)?.id ?? reader.recentRequests(1)[0]?.id ?? 0
    io.note?.(`Following the request log in ${config.dataDir} (Ctrl-C to stop)…`)
    while (!io.signal.aborted) {
      await sleep(io.pollMs ?? 500, io.signal)
      for (const request of reader.requestsAfter(lastId, 500)) {
        print(toRequestView(request))
        lastId = request.id
      }
    }
  } finally {
    reader.close()
  }
}
