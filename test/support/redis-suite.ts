import { afterAll, afterEach, beforeAll } from 'vitest'
import { type RedisServer, SKIP_WITHOUT_REDIS, startRedisServer } from './redis-server.js'

export interface Closable {
  close(): Promise<void>
}

export interface RedisSuite {
  /** The file's redis-server (started before its first test, stopped after its last). */
  readonly redis: RedisServer
  /** What a test started; closed after it, last started first. */
  readonly running: Closable[]
  /** A key namespace no other test of the file uses, so tests never see each other's state. */
  namespace(prefix: string): string
}

/** One real redis-server for a test file, a fresh namespace per test, and cleanup after each test. */
export function useRedisSuite(): RedisSuite {
  let redis: RedisServer | undefined
  let namespaces = 0
  const running: Closable[] = []
  beforeAll(async () => {
    if (SKIP_WITHOUT_REDIS === null) redis = await startRedisServer()
  })
  afterAll(async () => {
    await redis?.stop()
  })
  afterEach(async () => {
    for (const item of running.splice(0).reverse()) await item.close()
  })
  return {
    get redis(): RedisServer {
      if (redis === undefined)
        throw new Error('redis-server is not running (the suite is skipped without it)')
      return redis
    },
    running,
    namespace: (prefix) => `${prefix}${++namespaces}`,
  }
}
