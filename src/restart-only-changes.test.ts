import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config/load-config.js'
import { restartOnlyChanges } from './restart-only-changes.js'

function configOf(file: object) {
  const dir = mkdtempSync(join(tmpdir(), 'smartsplit-restart-'))
  writeFileSync(join(dir, 'smartsplit.json'), JSON.stringify(file))
  return loadConfig({}, { env: {}, cwd: dir, homeDir: dir })
}

describe('restartOnlyChanges', () => {
  it('names what a reload cannot apply, and nothing a reload does apply', () => {
    const running = configOf({ data_dir: '/tmp/a', mode: 'balanced' })
    const applied = configOf({
      data_dir: '/tmp/a',
      mode: 'quality',
      routing: { code: ['groq'] },
      retry_budget: { max_attempts: 3 },
      providers: { groq: { api_key: 'gsk_x' } },
    })
    expect(restartOnlyChanges(running, applied)).toEqual([])
    const moved = configOf({ data_dir: '/tmp/b', server: { port: 9000 }, log_level: 'debug' })
    expect(restartOnlyChanges(running, moved)).toEqual([
      'server (host, port, access keys, limits)',
      'data_dir',
      'log_level',
    ])
  })

  it('names the shared-state link and the pin store, which are built once at start', () => {
    const running = configOf({ data_dir: '/tmp/a' })
    const next = configOf({
      data_dir: '/tmp/a',
      state: { redis_url: 'redis://127.0.0.1:6390' },
      affinity: { enabled: false, idle_minutes: 5 },
    })
    expect(restartOnlyChanges(running, next)).toEqual([
      'state (redis_url, redis_timeout_ms, redis_namespace)',
      'affinity.idle_minutes, affinity.max_conversations',
    ])
    // Turning affinity off alone is applied on reload.
    expect(
      restartOnlyChanges(running, configOf({ data_dir: '/tmp/a', affinity: { enabled: false } })),
    ).toEqual([])
  })
})
