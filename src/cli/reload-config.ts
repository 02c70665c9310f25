import type { Logger } from 'pino'
import type { App } from '../app.js'
import { ConfigError } from '../config/config-error.js'
import { type ConfigOverrides, type ConfigSources, loadConfig } from '../config/load-config.js'

/**
 * Loads the config again and applies it to the running app. A config that does not load (bad JSON, a
 * field out of range, an unknown provider in a routing row…) is refused: the error is logged and shown
 * on the dashboard, and the running config stays. Command-line overrides (--port, --mode…) still win.
 */
export function reloadConfig(
  app: App,
  overrides: ConfigOverrides,
  sources: ConfigSources,
  logger: Logger,
  reason: string,
): boolean {
  let next: ReturnType<typeof loadConfig>
  try {
    next = loadConfig(overrides, sources)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    app.refuseConfig(message)
    logger.error(
      { reason, error: message, config_error: error instanceof ConfigError },
      'config not reloaded: the running config stays',
    )
    return false
  }
  try {
    const needsRestart = app.reload(next)
    const enabled = next.providers.filter((provider) => provider.enabled).length
    logger.info({ reason, mode: next.mode, providers_enabled: enabled }, 'config reloaded')
    if (needsRestart.length > 0)
      logger.warn(
        { settings: needsRestart },
        `changed settings that need a restart: ${needsRestart.join(', ')}`,
      )
    return true
  } catch (error) {
    const message = (error as Error).message ?? String(error)
    app.refuseConfig(message)
    logger.error({ reason, error: message }, 'config not reloaded: the running config stays')
    return false
  }
}
