import { readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Processes } from '../../lib/processes.js'

export const LOCK_FILE = 'smartsplit.lock'

/** Another SmartSplit that is still running holds the data dir. */
export class DataDirInUseError extends Error {
  readonly holderPid: number

  constructor(dataDir: string, holderPid: number) {
    super(
      `Another SmartSplit (pid ${holderPid}) is using the data dir ${dataDir}: two instances would overwrite each other's quota counters. Stop it first, or give this one its own --data-dir (or "store": "memory").`,
    )
    this.name = 'DataDirInUseError'
    this.holderPid = holderPid
  }
}

export interface DataDirLock {
  release(): void
}

function holderOf(path: string): number | null {
  try {
    const pid = (JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown }).pid
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null // unreadable or half-written: nobody we could ask
  }
}

/**
 * Takes the data dir for this process: a lock file naming its pid, created only if absent. A lock left by
 * a process that no longer runs (kill -9, a crash) is taken over, and so is one naming this very pid (a
 * container restarted after a crash runs SmartSplit under the same pid again); one held by another
 * running process is refused with DataDirInUseError. Other file-system errors (an unwritable dir) are
 * thrown as they are.
 */
export function lockDataDir(dataDir: string, processes: Processes, startedAtMs: number): DataDirLock {
  const path = join(dataDir, LOCK_FILE)
  const content = `${JSON.stringify({ pid: processes.ownPid, startedAtMs })}\n`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, content, { flag: 'wx', mode: 0o600 })
      return {
        release() {
          // Only our own lock: if another instance took over a lock it judged stale, it stays theirs.
          if (holderOf(path) === processes.ownPid) unlinkSync(path)
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = holderOf(path)
    const isHeld = holder !== null && holder !== processes.ownPid && processes.isAlive(holder)
    if (isHeld) throw new DataDirInUseError(dataDir, holder)
    unlinkSync(path)
  }
  // Two instances judged the same stale lock at once and the other one won.
  throw new DataDirInUseError(dataDir, holderOf(path) ?? 0)
}
