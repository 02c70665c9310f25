import type { FastifyInstance } from 'fastify'
import { DEFAULTS } from '../../config/load-config.js'
import type { ServerConfig } from '../../config/types.js'
import { registerAccessControl } from './access-control.js'
import { registerClientConcurrency } from './client-concurrency.js'
import { registerCrossOrigin } from './cross-origin.js'
import { isLoopbackHost } from './loopback.js'
import { registerMaxMessages } from './max-messages.js'
import { registerRequestShapeLimits } from './request-shape-limits.js'
import { registerShutdownGate } from './shutdown-gate.js'

/** What the HTTP layer enforces; Config['server'] as loaded. */
export type ServerSettings = Omit<ServerConfig, 'port' | 'shutdownGraceMs'>

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  host: DEFAULTS.host,
  bodyLimitBytes: DEFAULTS.bodyLimitBytes,
  apiKeys: [],
  corsOrigins: [],
  maxMessages: DEFAULTS.maxMessages,
  maxContentParts: DEFAULTS.maxContentParts,
  maxTools: DEFAULTS.maxTools,
  maxToolProperties: DEFAULTS.maxToolProperties,
  maxMetadataKeys: DEFAULTS.maxMetadataKeys,
  maxHeaderBytes: DEFAULTS.maxHeaderBytes,
  requestTimeoutMs: DEFAULTS.requestTimeoutMs,
  headersTimeoutMs: DEFAULTS.headersTimeoutMs,
  keepAliveTimeoutMs: DEFAULTS.keepAliveTimeoutMs,
  maxConcurrentPerClient: DEFAULTS.maxConcurrentPerClient,
}

/**
 * The request gate, in order: refuse new work while shutting down → browser origin and Host checks
 * (and CORS preflights) → access key → per-client concurrency → (after the body is parsed) message count,
 * then the counts of content parts, tools, schema properties and metadata keys.
 * Each rejection is an OpenAI-shaped error, Anthropic-shaped on /v1/messages.
 */
export function registerSecurity(
  app: FastifyInstance,
  settings: ServerSettings,
  healthStatus: () => string,
): void {
  registerShutdownGate(app)
  registerCrossOrigin(app, {
    corsOrigins: settings.corsOrigins,
    isLocalOnly: settings.apiKeys.length === 0 && isLoopbackHost(settings.host),
  })
  registerAccessControl(app, settings.apiKeys, healthStatus)
  registerClientConcurrency(app, settings.maxConcurrentPerClient)
  registerMaxMessages(app, settings.maxMessages)
  registerRequestShapeLimits(app, settings)
}
