import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Processes } from '../../lib/processes.js'
import { DataDirInUseError, LOCK_FILE, lockDataDir } from './data-dir-lock.js'

/** A process table where only `alive` pids run. */
const processes = (ownPid: number, alive: number[] = []): Processes => ({
  ownPid,
  isAlive: (pid) => pid === ownPid || alive.includes(pid),
})

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'lock-'))

describe('lockDataDir', () => {
  it('refuses a second instance while the first runs, naming it and the way out', () => {
    const dir = freshDir()
    lockDataDir(dir, processes(100, [200]), 0)
    let refused: unknown
    try {
      lockDataDir(dir, processes(200, [100]), 0)
    } catch (error) {
      refused = error
    }
    expect(refused).toBeInstanceOf(DataDirInUseError)
    expect((refused as Error).message).toMatch(/pid 100.*--data-dir/)
  })

  it('takes over a lock whose process is gone (kill -9), and releases only its own', () => {
    const dir = freshDir()
    lockDataDir(dir, processes(100), 0) // never released: its process "died"
    const lock = lockDataDir(dir, processes(200), 0)
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: 200 })
    lock.release()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false)
  })

  it('takes over a lock naming its own pid: a container restarted after a crash reuses it', () => {
    const dir = freshDir()
    lockDataDir(dir, processes(1), 0)
    expect(() => lockDataDir(dir, processes(1), 0)).not.toThrow()
  })

  it('takes over a lock file it cannot read', () => {
    const dir = freshDir()
    writeFileSync(join(dir, LOCK_FILE), '{"pid":')
    expect(() => lockDataDir(dir, processes(300), 0)).not.toThrow()
  })

  it('leaves a lock another instance took over in place when releasing', () => {
    const dir = freshDir()
    const first = lockDataDir(dir, processes(100), 0)
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 200 }))
    first.release()
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true)
  })
})
