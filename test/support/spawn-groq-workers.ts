import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { routeAll } from './route-all.js'
import { type SpawnedSmartSplit, spawnSmartSplit } from './spawn-smartsplit.js'

export interface GroqWorkers {
  server: SpawnedSmartSplit
  /** The data dir passed with --data-dir; not created beforehand (a first start). */
  dataDir: string
}

/**
 * `smartsplit --workers 2` in its own directory, with state on `redisUrl` and one Groq-shaped upstream
 * answering every task: the setup every --workers test shares. The data dir does not exist yet.
 */
export async function spawnGroqWorkers(options: {
  redisUrl: string
  groqUrl: string
  groqKey: string
  name: string
}): Promise<GroqWorkers> {
  const dir = mkdtempSync(join(tmpdir(), `smartsplit-${options.name}-`))
  const dataDir = join(dir, 'data')
  writeFileSync(
    join(dir, 'smartsplit.json'),
    JSON.stringify({
      state: { redis_url: options.redisUrl },
      providers: { groq: { base_url: options.groqUrl, api_key: options.groqKey, model: 'llama' } },
      routing: routeAll(['groq']),
    }),
  )
  const server = await spawnSmartSplit(['--workers', '2', '--port', '0', '--data-dir', dataDir], {
    cwd: dir,
    timeoutMs: 30_000,
  })
  return { server, dataDir }
}
