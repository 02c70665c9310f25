import type { Redis } from 'ioredis'
import type { Config } from '../config/types.js'
import { redisAddress } from '../state/shared/redis-link.js'
import type { DoctorCheck } from './doctor-check.js'

const NAME = 'shared state'
/** Long enough for a Redis across a network; doctor waits this long once, not per request. */
const CHECK_TIMEOUT_MS = 3_000
const OLDEST_MAJOR = 6

export interface SharedStateCheckOptions {
  nowMs(): number
  timeoutMs?: number
}

/** The failure of one step, in words an operator acts on; the password in the URL is never part of it. */
function describeFailure(address: string, error: Error): DoctorCheck {
  const message = error.message
  if (/NOAUTH|WRONGPASS|invalid password|invalid username/i.test(message))
    return {
      status: 'fail',
      name: NAME,
      detail: `${address} refused the credentials (${message.split('\n')[0]})`,
      hint: 'put the user and password in the URL: redis://USER:PASSWORD@host:port (state.redis_url or REDIS_URL)',
    }
  if (/NOPERM|unknown command|disabled/i.test(message))
    return {
      status: 'fail',
      name: NAME,
      detail: `${address} does not let SmartSplit run what it needs (${message.split('\n')[0]})`,
      hint: 'SmartSplit needs EVAL/EVALSHA (Lua scripts), PUBLISH/SUBSCRIBE and the keys under its namespace',
    }
  return {
    status: 'warn',
    name: NAME,
    detail: `${address} does not answer (${message.split('\n')[0]}): SmartSplit would start on local state and share once it answers`,
    hint: 'start Redis (docker compose --profile redis up -d) or check state.redis_url / REDIS_URL',
  }
}

/** `redis_version:7.0.15` from `INFO server`; null when absent. */
function versionOf(info: string): string | null {
  return /^redis_version:(\S+)/m.exec(info)?.[1] ?? null
}

async function inspect(client: Redis, config: Config['sharedState'], address: string): Promise<DoctorCheck> {
  const version = versionOf(await client.info('server'))
  if (version !== null && Number(version.split('.')[0]) < OLDEST_MAJOR)
    return {
      status: 'fail',
      name: NAME,
      detail: `${address} is Redis ${version}; SmartSplit needs ${OLDEST_MAJOR} or later`,
      hint: 'upgrade Redis, or point state.redis_url at a newer one',
    }
  if (/^cluster_enabled:1/m.test(await client.info('cluster')))
    return {
      status: 'fail',
      name: NAME,
      detail: `${address} is a Redis Cluster node; SmartSplit's scripts need a single node`,
      hint: 'use a standalone Redis (a replica set behind one primary is fine)',
    }
  // What every instance runs there: a Lua script (admission, pins) and a subscription (pin moves).
  await client.eval("return redis.call('PING')", 0)
  const [, followers] = (await client.pubsub('NUMSUB', `${config.namespace}:pins`)) as [string, number]
  const instances = Number(followers)
  return {
    status: 'ok',
    name: NAME,
    detail: `${address}: Redis ${version ?? '(version not said)'}, scripts allowed; ${instances} SmartSplit instance${instances === 1 ? '' : 's'} sharing "${config.namespace}" now`,
  }
}

/**
 * `smartsplit doctor`'s look at the Redis of `state.redis_url` / `REDIS_URL`: does it answer, with the
 * credentials given, in a version and shape SmartSplit's scripts run on, and how many instances share
 * the namespace now. Unreachable is a warning (SmartSplit starts on local state); refused credentials,
 * a cluster or scripts not allowed fail (they would not mend by waiting).
 */
export async function checkSharedState(
  config: Config['sharedState'],
  options: SharedStateCheckOptions,
): Promise<DoctorCheck> {
  if (config.redisUrl === null)
    return { status: 'skip', name: NAME, detail: 'kept in this process (no state.redis_url or REDIS_URL)' }
  const address = redisAddress(config.redisUrl)
  const timeoutMs = options.timeoutMs ?? CHECK_TIMEOUT_MS
  const { Redis: RedisClient } = await import('ioredis')
  const client = new RedisClient(config.redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectionName: 'smartsplit-doctor',
  })
  // A refusal during the connection's own ready check (NOAUTH) reaches only this listener; the step
  // that failed then says no more than "Connection is closed.".
  let connectionError: Error | null = null
  client.on('error', (error: Error) => {
    connectionError = error
  })
  const startedMs = options.nowMs()
  try {
    await client.connect()
    const check = await inspect(client, config, address)
    return { ...check, latency: `${Math.round(options.nowMs() - startedMs)} ms` }
  } catch (error) {
    return describeFailure(address, connectionError ?? (error as Error))
  } finally {
    client.disconnect()
  }
}
