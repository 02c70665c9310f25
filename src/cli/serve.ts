import { pino } from 'pino'
import { createApp } from '../app.js'
import type { ConfigOverrides, ConfigSources } from '../config/load-config.js'
import { loadConfig } from '../config/load-config.js'
import { systemClock } from '../lib/clock.js'
import { systemRandom } from '../lib/random.js'
import { formatBanner } from './banner.js'
import { CliExit } from './cli-exit.js'

export interface ServeIo {
  sources: ConfigSources
  out: (text: string) => void
  onShutdownSignal: (handler: (signal: string) => void) => void
}

/** `smartsplit` / `smartsplit serve`: load config, listen, print the banner, stop cleanly on a signal. */
export async function serve(overrides: ConfigOverrides, io: ServeIo): Promise<void> {
  const config = loadConfig(overrides, io.sources)
  const logger = pino({ level: config.logLevel, base: null }, pino.destination(2))
  const app = createApp(config, { clock: systemClock, random: systemRandom, logger })
  let url: string
  try {
    url = await app.listen()
  } catch (error) {
    await app.close().catch(() => {})
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
  io.out(formatBanner(url, config, app.providers))
  io.onShutdownSignal((signal) => {
    io.out(`Received ${signal}, shutting down…`)
    void app.close().then(() => io.out('SmartSplit stopped.'))
  })
}
