import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type SpawnedSmartSplit, spawnSmartSplit, stopSmartSplit } from '../support/spawn-smartsplit.js'

// Issue 15 item 15: two instances on one data dir overwrote each other's saved quota counters. The data
// dir is locked: a second instance is refused with a clear message, and the lock of a process killed
// with kill -9 does not keep the next start out.

describe('two SmartSplits on one data dir', () => {
  it('refuses the second while the first runs, and recovers the lock after kill -9', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'smartsplit-lock-'))
    const args = ['--port', '0', '--data-dir', join(cwd, 'data')]
    const started: SpawnedSmartSplit[] = []
    try {
      const first = await spawnSmartSplit(args, { cwd })
      started.push(first)
      expect(first.url, first.stderr()).not.toBeNull()

      const second = await spawnSmartSplit(args, { cwd })
      started.push(second)
      expect(second.url, 'the second instance started').toBeNull()
      expect(await second.exited).toBe(1)
      expect(second.stderr()).toContain(
        `smartsplit: Another SmartSplit (pid ${first.child.pid}) is using the data dir ${join(cwd, 'data')}`,
      )
      expect(second.stderr()).toMatch(/--data-dir/)
      expect(second.stderr()).not.toMatch(/\n\s+at /) // no stack trace

      await stopSmartSplit(first, 'SIGKILL')
      const third = await spawnSmartSplit(args, { cwd })
      started.push(third)
      expect(third.url, third.stderr()).not.toBeNull()
    } finally {
      for (const spawned of started) await stopSmartSplit(spawned)
    }
  }, 60_000)
})
