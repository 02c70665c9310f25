import { isDeepStrictEqual } from 'node:util'
import type { Config } from './config/types.js'

/** Settings a reload cannot apply to a running server, by the name the config file gives them. */
const RESTART_ONLY: readonly [string, (config: Config) => unknown][] = [
  ['server (host, port, access keys, limits)', (config) => config.server],
  ['data_dir', (config) => config.dataDir],
  ['store', (config) => config.store],
  ['retention_days', (config) => config.retentionDays],
  ['upstream_limits', (config) => config.upstreamLimits],
  ['timeouts.connect_ms', (config) => config.timeouts.connectMs],
  ['timeouts.keepalive_ms', (config) => config.timeouts.keepaliveMs],
  ['log_level', (config) => config.logLevel],
  ['savings', (config) => config.savingsReference],
  ['state (redis_url, redis_timeout_ms, redis_namespace)', (config) => config.sharedState],
  [
    'affinity.idle_minutes, affinity.max_conversations',
    (config) => [config.affinity.idleMs, config.affinity.maxConversations],
  ],
]

/** What differs between two configs that only a restart applies (the rest applies on reload). */
export function restartOnlyChanges(running: Config, next: Config): string[] {
  return RESTART_ONLY.filter(([, pick]) => !isDeepStrictEqual(pick(running), pick(next))).map(
    ([name]) => name,
  )
}
