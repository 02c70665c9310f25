import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { type App, createApp } from '../../src/app.js'
import { loadConfig } from '../../src/config/load-config.js'
import type { ConfigFile } from '../../src/config/schema.js'
import type { Clock } from '../../src/lib/clock.js'
import { systemClock } from '../../src/lib/clock.js'
import { seededRandom } from '../../src/lib/random.js'

export interface RunningSmartSplit {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  /** e.g. http://127.0.0.1:41234/v1, what OpenAI clients take as baseURL */
  baseURL: string
  app: App
  /** Every log line SmartSplit wrote, for checks such as "no key ever logged". */
  logs: string[]
  close(): Promise<void>
}

/**
 * Starts a real SmartSplit on 127.0.0.1:0 from a config file written to a temp dir, exactly as a user
 * would configure it (file → zod → resolved providers), with no environment keys leaking in.
 */
export async function startSmartSplit(
  config: ConfigFile,
  options: { env?: NodeJS.ProcessEnv; clock?: Clock } = {},
): Promise<RunningSmartSplit> {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-test-'))
  const path = join(dir, 'smartsplit.json')
  writeFileSync(path, JSON.stringify({ ...config, server: { port: 0, ...config.server } }))
  // Each instance gets its own data dir unless the test names one (to test restarts).
  const overrides = config.data_dir === undefined ? { configPath: path, dataDir: dir } : { configPath: path }
  const loaded = loadConfig(overrides, { env: options.env ?? {}, cwd: dir, homeDir: dir })
  const logs: string[] = []
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk))
      callback()
    },
  })
  const logger = pino({ level: 'debug' }, sink)
  const app = createApp(loaded, { clock: options.clock ?? systemClock, random: seededRandom(42), logger })
  const url = await app.listen()
  return { url, baseURL: `${url}/v1`, app, logs, close: () => app.close() }
}
