import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { z } from 'zod'
import { DEFAULT_REFERENCE_PRICE } from '../metrics/prices.js'
import { DEFAULT_FREE_PRIORITY } from '../providers/catalog.js'
import { DEFAULT_UPSTREAM_READ_LIMITS } from '../providers/upstream-read-limits.js'
import { checkRoutingNames } from './check-routing-names.js'
import { ConfigError } from './config-error.js'
import { expandEnvReferences } from './expand-env-references.js'
import { readCatalogOverlay } from './read-catalog-overlay.js'
import { resolveProviders, resolveSearchProviders } from './resolve-providers.js'
import { type ConfigFile, configFileSchema, type Mode } from './schema.js'
import type { Config, LogLevel, ServerConfig } from './types.js'

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8420,
  bodyLimitBytes: 10 * 1024 * 1024,
  connectMs: 5_000,
  firstByteMs: 30_000,
  idleMs: 60_000,
  keepaliveMs: 10_000,
  autocompleteFirstByteMs: 3_000,
  affinityIdleMinutes: 30,
  maxConversations: 100_000,
  maxMessages: 2_000,
  maxContentParts: 20_000,
  maxTools: 512,
  maxToolProperties: 10_000,
  maxMetadataKeys: 64,
  maxHeaderBytes: 32 * 1024,
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxConcurrentPerClient: 64,
  shutdownGraceMs: 10_000,
} as const

/** What the command line may override; everything optional. */
export interface ConfigOverrides {
  configPath?: string
  host?: string
  port?: number
  mode?: Mode
  logLevel?: LogLevel
  dataDir?: string
  /** --insecure: serve a non-loopback address without access keys (serve warns). */
  insecure?: boolean
}

export interface ConfigSources {
  env: NodeJS.ProcessEnv
  cwd: string
  homeDir?: string
}

/** --config, then $SMARTSPLIT_CONFIG, then ./smartsplit.json, then ~/.config/smartsplit/config.json. */
function findConfigFile(overrides: ConfigOverrides, sources: ConfigSources): string | null {
  const explicit = overrides.configPath ?? sources.env.SMARTSPLIT_CONFIG
  if (explicit !== undefined && explicit !== '') return resolve(sources.cwd, explicit)
  const home = sources.homeDir ?? homedir()
  for (const candidate of [
    join(sources.cwd, 'smartsplit.json'),
    join(home, '.config', 'smartsplit', 'config.json'),
  ]) {
    try {
      readFileSync(candidate)
      return candidate
    } catch {
      // not there: try the next place
    }
  }
  return null
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)'
  return `${field}: ${issue.message}`
}

/** V8 says where JSON broke as "position N": a person wants the line and column. */
function describeJsonError(error: Error, text: string): string {
  const position = /\bposition (\d+)/.exec(error.message)
  const isTruncated = /end of JSON input/.test(error.message)
  if (position === null && !isTruncated) return error.message
  const offset = position === null ? text.length : Number(position[1])
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - before.lastIndexOf('\n')
  const reason = error.message
    .replace(/\s*in JSON at position \d+.*$/s, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '')
  return `line ${line}, column ${column}: ${reason}`
}

function readConfigFile(path: string, env: NodeJS.ProcessEnv): ConfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error)
    throw new ConfigError(`${path}: cannot read the config file (${reason})`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${describeJsonError(error as Error, text)})`)
  }
  try {
    json = expandEnvReferences(json, env)
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`)
    throw error
  }
  const parsed = configFileSchema.safeParse(json)
  if (!parsed.success) {
    const details = parsed.error.issues.map(describeIssue).join('\n  ')
    throw new ConfigError(`${path}: invalid configuration\n  ${details}`)
  }
  return parsed.data
}

/** $SMARTSPLIT_API_KEY (comma-separated) and server.api_keys, without duplicates or blanks. */
function accessKeys(file: ConfigFile, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = (env.SMARTSPLIT_API_KEY ?? '').split(',').map((key) => key.trim())
  return [...new Set([...fromEnv, ...(file.server?.api_keys ?? [])])].filter((key) => key !== '')
}

function holdsKeys(file: ConfigFile): boolean {
  const providers = Object.values(file.providers ?? {})
  return (
    (file.server?.api_keys?.length ?? 0) > 0 ||
    providers.some((p) => p.api_key !== undefined || (p.api_keys?.length ?? 0) > 0)
  )
}

function resolveServer(file: ConfigFile, overrides: ConfigOverrides, env: NodeJS.ProcessEnv): ServerConfig {
  const server = file.server ?? {}
  const resolved: ServerConfig = {
    host: overrides.host ?? server.host ?? DEFAULTS.host,
    port: overrides.port ?? server.port ?? DEFAULTS.port,
    bodyLimitBytes: server.body_limit_bytes ?? DEFAULTS.bodyLimitBytes,
    apiKeys: accessKeys(file, env),
    corsOrigins: server.cors_origins ?? [],
    maxMessages: server.max_messages ?? DEFAULTS.maxMessages,
    maxContentParts: server.max_content_parts ?? DEFAULTS.maxContentParts,
    maxTools: server.max_tools ?? DEFAULTS.maxTools,
    maxToolProperties: server.max_tool_properties ?? DEFAULTS.maxToolProperties,
    maxMetadataKeys: server.max_metadata_keys ?? DEFAULTS.maxMetadataKeys,
    maxHeaderBytes: server.max_header_bytes ?? DEFAULTS.maxHeaderBytes,
    requestTimeoutMs: server.request_timeout_ms ?? DEFAULTS.requestTimeoutMs,
    headersTimeoutMs: server.headers_timeout_ms ?? DEFAULTS.headersTimeoutMs,
    keepAliveTimeoutMs: server.keep_alive_timeout_ms ?? DEFAULTS.keepAliveTimeoutMs,
    maxConcurrentPerClient: server.max_concurrent_per_client ?? DEFAULTS.maxConcurrentPerClient,
    shutdownGraceMs: server.shutdown_grace_ms ?? DEFAULTS.shutdownGraceMs,
  }
  // Node refuses a headers timeout longer than the whole-request timeout; say so in config terms.
  if (resolved.headersTimeoutMs > resolved.requestTimeoutMs)
    throw new ConfigError(
      `server.headers_timeout_ms (${resolved.headersTimeoutMs}) must not exceed server.request_timeout_ms (${resolved.requestTimeoutMs})`,
    )
  return resolved
}

export function loadConfig(overrides: ConfigOverrides, sources: ConfigSources): Config {
  const path = findConfigFile(overrides, sources)
  const file: ConfigFile = path === null ? {} : readConfigFile(path, sources.env)
  const priority = file.free_llm_priority ?? [...DEFAULT_FREE_PRIORITY]
  const providerInputs = file.providers ?? {}
  const dataDir = overrides.dataDir ?? file.data_dir ?? join(sources.homeDir ?? homedir(), '.smartsplit')
  const catalog = readCatalogOverlay(dataDir)
  try {
    const isPriorityExplicit = file.free_llm_priority !== undefined
    const providers = resolveProviders(providerInputs, priority, sources.env, catalog, isPriorityExplicit)
    checkRoutingNames(file.routing ?? {}, providers)
    return {
      mode: overrides.mode ?? file.mode ?? 'balanced',
      freeLlmPriority: priority,
      isPriorityStated: isPriorityExplicit,
      routing: file.routing ?? {},
      providers,
      search: resolveSearchProviders(providerInputs, sources.env),
      server: resolveServer(file, overrides, sources.env),
      timeouts: {
        connectMs: file.timeouts?.connect_ms ?? DEFAULTS.connectMs,
        firstByteMs: file.timeouts?.first_byte_ms ?? DEFAULTS.firstByteMs,
        idleMs: file.timeouts?.idle_ms ?? DEFAULTS.idleMs,
        keepaliveMs: file.timeouts?.keepalive_ms ?? DEFAULTS.keepaliveMs,
        autocompleteFirstByteMs:
          file.timeouts?.autocomplete_first_byte_ms ?? DEFAULTS.autocompleteFirstByteMs,
      },
      affinity: {
        enabled: file.affinity?.enabled ?? true,
        idleMs: (file.affinity?.idle_minutes ?? DEFAULTS.affinityIdleMinutes) * 60_000,
        maxConversations: file.affinity?.max_conversations ?? DEFAULTS.maxConversations,
      },
      embeddings: { defaultModel: file.embeddings?.default_model ?? null },
      upstreamLimits: {
        maxEventChars: file.upstream_limits?.max_event_chars ?? DEFAULT_UPSTREAM_READ_LIMITS.maxEventChars,
        maxAnswerBytes: file.upstream_limits?.max_answer_bytes ?? DEFAULT_UPSTREAM_READ_LIMITS.maxAnswerBytes,
      },
      logLevel: overrides.logLevel ?? file.log_level ?? 'info',
      dataDir,
      store: file.store ?? 'sqlite',
      qualityGates: qualityGatesOf(file.quality_gates),
      planner: file.planner ?? 'auto',
      searchTimeoutMs: file.search_timeout_ms ?? 8_000,
      retryBudget: {
        maxAttempts: file.retry_budget?.max_attempts ?? 8,
        maxWallMs: file.retry_budget?.max_wall_ms ?? 120_000,
      },
      circuitBreaker: {
        failureThreshold: file.circuit_breaker?.failure_threshold ?? 3,
        windowMs: file.circuit_breaker?.window_ms ?? 5 * 60_000,
        openMs: file.circuit_breaker?.open_ms ?? 30 * 60_000,
      },
      logPrompts: file.log_prompts ?? false,
      retentionDays: file.retention_days ?? 30,
      savingsReference: {
        model: file.savings?.reference_model ?? DEFAULT_REFERENCE_PRICE.model,
        inputPerMillion: file.savings?.input_per_million ?? DEFAULT_REFERENCE_PRICE.inputPerMillion,
        outputPerMillion: file.savings?.output_per_million ?? DEFAULT_REFERENCE_PRICE.outputPerMillion,
      },
      sharedState: {
        redisUrl: file.state?.redis_url ?? redisUrlOf(sources.env),
        timeoutMs: file.state?.redis_timeout_ms ?? 25,
        namespace: file.state?.redis_namespace ?? 'smartsplit',
      },
      source: path,
      sourceHoldsKeys: holdsKeys(file),
    }
  } catch (error) {
    if (error instanceof ConfigError && path !== null) throw new ConfigError(`${path}: ${error.message}`)
    throw error
  }
}

/** $REDIS_URL when it is a Redis URL (a blank or other value is a configuration error, said so). */
function redisUrlOf(env: NodeJS.ProcessEnv): string | null {
  const url = env.REDIS_URL?.trim()
  if (url === undefined || url === '') return null
  if (!/^rediss?:\/\//.test(url)) throw new ConfigError('REDIS_URL: expected a redis:// or rediss:// URL')
  return url
}

/** `quality_gates: false`, `true` or `{ enabled, max_escalations }`; one replacement per answer by default. */
function qualityGatesOf(value: ConfigFile['quality_gates']): Config['qualityGates'] {
  if (typeof value === 'boolean' || value === undefined) return { enabled: value ?? true, maxEscalations: 1 }
  return { enabled: value.enabled ?? true, maxEscalations: value.max_escalations ?? 1 }
}
