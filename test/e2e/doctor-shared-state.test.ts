import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runDoctor } from '../../src/cli/doctor.js'
import type { ConfigFile } from '../../src/config/schema.js'
import { seededRandom } from '../../src/lib/random.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { freePort } from '../support/free-port.js'
import { type RedisServer, SKIP_WITHOUT_REDIS, startRedisServer } from '../support/redis-server.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// `smartsplit doctor` with shared state: the Redis of state.redis_url / REDIS_URL checked for real (a
// redis-server on a loopback port), with the instances sharing the namespace counted, and the password
// of the URL never printed.

const KEY = 'gsk_fake_doctor0123456789abcdef'
let fake: FakeOpenAI
let redis: RedisServer
const running: RunningSmartSplit[] = []

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  if (SKIP_WITHOUT_REDIS === null) redis = await startRedisServer()
})
afterEach(async () => {
  for (const instance of running.splice(0)) await instance.close()
})
afterAll(async () => {
  await fake.close()
  await redis?.stop()
})

const configWith = (redisUrl: string): ConfigFile => ({
  providers: { groq: { api_key: KEY, base_url: fake.url } },
  state: { redis_url: redisUrl, redis_namespace: 'doctor' },
})

async function doctor(config: ConfigFile, env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-doctor-'))
  const path = join(dir, 'smartsplit.json')
  writeFileSync(path, JSON.stringify(config))
  const lines: string[] = []
  const result = await runDoctor(
    { configPath: path, dataDir: join(dir, 'data'), port: await freePort() },
    { sources: { env, cwd: dir, homeDir: dir }, out: (text) => lines.push(text), random: seededRandom(1) },
  )
  const output = lines.join('\n')
  const line = output.split('\n').find((row) => /^\s+\S\s+shared state\s/.test(row)) ?? ''
  return { exitCode: result.exitCode, output, line }
}

describe('smartsplit doctor: shared state', () => {
  it('says the state stays in this process when no Redis is set', async () => {
    const run = await doctor({ providers: { groq: { api_key: KEY, base_url: fake.url } } })
    expect(run.line).toMatch(/–\s+shared state\s+kept in this process \(no state\.redis_url or REDIS_URL\)/)
    expect(run.exitCode).toBe(0)
  })

  it('warns, without failing, when the Redis does not answer: SmartSplit would start on local state', async () => {
    const run = await doctor(configWith(`redis://127.0.0.1:${await freePort()}`))
    expect(run.line).toMatch(
      /!\s+shared state\s+redis:\/\/127\.0\.0\.1:\d+ does not answer \(.+\): SmartSplit would start on local state/,
    )
    expect(run.output).toContain('→ start Redis (docker compose --profile redis up -d)')
    expect(run.exitCode).toBe(0)
  })

  describe.skipIf(SKIP_WITHOUT_REDIS !== null)('with a real redis-server', () => {
    it('shows its version and the instances sharing the namespace, from REDIS_URL too', async () => {
      const before = await doctor(
        { providers: { groq: { api_key: KEY, base_url: fake.url } } },
        {
          REDIS_URL: redis.url,
        },
      )
      expect(before.line).toMatch(
        /✓\s+shared state\s+\d+ ms\s+redis:\/\/127\.0\.0\.1:\d+: Redis \d+\.\d+\.\d+, scripts allowed; 0 SmartSplit instances sharing "smartsplit" now/,
      )
      const instance = await startSmartSplit(configWith(redis.url))
      running.push(instance)
      await expect
        .poll(async () => (await doctor(configWith(redis.url))).line, { timeout: 5_000 })
        .toMatch(/1 SmartSplit instance sharing "doctor" now/)
    })

    it('fails on refused credentials, and never prints the password of the URL', async () => {
      const guarded = await startRedisServer()
      const admin = new Redis(guarded.url, { lazyConnect: true })
      try {
        await admin.connect()
        await admin.config('SET', 'requirepass', 'the-right-fake-password')
        admin.disconnect()
        for (const url of [guarded.url, guarded.url.replace('redis://', 'redis://:a-wrong-fake-password@')]) {
          const run = await doctor(configWith(url))
          expect(run.line).toMatch(/✗\s+shared state\s+redis:\/\/127\.0\.0\.1:\d+ refused the credentials/)
          expect(run.output).toContain('→ put the user and password in the URL')
          expect(run.output).not.toContain('a-wrong-fake-password')
          expect(run.exitCode).toBe(1)
        }
        const right = await doctor(
          configWith(guarded.url.replace('redis://', 'redis://:the-right-fake-password@')),
        )
        expect(right.line).toMatch(/✓\s+shared state\s/)
        expect(right.output).not.toContain('the-right-fake-password')
      } finally {
        admin.disconnect()
        await guarded.stop()
      }
    })
  })
})
