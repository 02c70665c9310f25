import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'

/** A Lua script run by its SHA1, sent whole only when Redis does not know it yet (after a restart). */
export interface LuaScript {
  source: string
  sha: string
}

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') }
}

export interface RedisLinkOptions {
  url: string
  /** The longest any one call may take before the caller goes on without Redis. */
  timeoutMs: number
  /** Told when the connection is ready, and when it is lost (with why). */
  onConnection(isReady: boolean, why: string | null): void
}

/** One connection to Redis; every call is bounded by the timeout and rejects instead of waiting. */
export interface RedisLink {
  run(script: LuaScript, args: readonly (string | number)[]): Promise<unknown>
  isReady(): boolean
  /** Where Redis is, for /health and logs: scheme, host, port and database, never the password. */
  readonly address: string
  close(): Promise<void>
}

/** The URL without credentials; an unparsable one is named only as such. */
export function redisAddress(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}${parsed.pathname === '/' ? '' : parsed.pathname}`
  } catch {
    return 'redis (unparsable URL)'
  }
}

const RECONNECT_MAX_DELAY_MS = 2_000

async function runScript(
  client: Redis,
  script: LuaScript,
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, 0, ...args)
  } catch (error) {
    if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error
    return await client.eval(script.source, 0, ...args)
  }
}

/**
 * The answer, or a rejection after `timeoutMs`. The rejection waits for the next turn of the event loop:
 * a busy loop runs expired timers before it reads sockets, so a reply that arrived in time but was not
 * read yet would otherwise count as late (and the call be made a second time, locally).
 */
function boundedBy<T>(timeoutMs: number, answer: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => setImmediate(() => reject(new Error(`no answer within ${timeoutMs} ms`))),
      timeoutMs,
    )
  })
  return Promise.race([answer, late]).finally(() => clearTimeout(timer))
}

/** A client that fails at once while disconnected and reconnects on its own, named for `CLIENT LIST`. */
export function connectRedis(
  RedisClient: typeof Redis,
  options: Pick<RedisLinkOptions, 'url' | 'timeoutMs'>,
  connectionName = 'smartsplit',
): Redis {
  return new RedisClient(options.url, {
    lazyConnect: true,
    // Fail at once while disconnected instead of queueing: the caller goes on with local state.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A backstop for replies that never come; callers stop waiting after `timeoutMs` (boundedBy).
    commandTimeout: Math.max(1_000, options.timeoutMs * 10),
    connectTimeout: Math.max(1_000, options.timeoutMs),
    // Admissions of concurrent requests share one round trip.
    enableAutoPipelining: true,
    protocol: 2,
    connectionName,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), RECONNECT_MAX_DELAY_MS),
  })
}

/**
 * Connects in the background; until Redis is ready every call rejects at once (the caller goes on with
 * local state). ioredis is loaded only here, so an instance without shared state never pays its ~9 MB.
 */
export function openRedisLink(options: RedisLinkOptions): RedisLink {
  let client: Redis | null = null
  let isReady = false
  let isClosed = false
  let lastError: string | null = null
  const opened = import('ioredis').then(({ Redis: RedisClient }) => {
    if (isClosed) return
    const opening = connectRedis(RedisClient, options)
    client = opening
    opening.on('error', (error: Error) => {
      lastError = error.message
    })
    opening.on('ready', () => {
      isReady = true
      options.onConnection(true, null)
    })
    opening.on('close', () => {
      if (!isReady) return
      isReady = false
      options.onConnection(false, lastError ?? 'connection closed')
    })
    opening.connect().catch((error: Error) => {
      lastError = error.message
      options.onConnection(false, error.message)
    })
  })
  return {
    address: redisAddress(options.url),
    isReady: () => isReady,
    run(script, args) {
      if (client === null) return Promise.reject(new Error('not connected to Redis yet'))
      return boundedBy(options.timeoutMs, runScript(client, script, args))
    },
    async close() {
      isClosed = true
      isReady = false
      await opened
      const open = client as Redis | null
      if (open === null) return
      open.removeAllListeners('close')
      await open.quit().catch(() => open.disconnect())
    },
  }
}
