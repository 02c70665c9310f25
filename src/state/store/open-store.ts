import { mkdirSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import type { Processes } from '../../lib/processes.js'
import { DataDirInUseError, type DataDirLock, lockDataDir } from './data-dir-lock.js'
import { MemoryStore } from './memory-store.js'
import { DATABASE_FILE } from './sqlite-reader.js'
import { SqliteStore } from './sqlite-store.js'
import type { Store } from './types.js'

export interface OpenStoreOptions {
  kind: 'sqlite' | 'memory'
  dataDir: string
  nowMs: () => number
  retentionDays: number
  processes: Processes
  /** Where the store reports storage errors while it runs. */
  warn: (message: string) => void
  /** The data dir's lock is held by the parent process (`--workers`: every worker shares the store). */
  lockHeldByParent?: boolean
}

const HELD_BY_PARENT: DataDirLock = { release() {} }

export interface OpenedStore {
  store: Store
  /** What the operator must know about how the store was opened (a file moved aside, memory instead). */
  warnings: string[]
}

const CORRUPT_CODES = /^SQLITE_(NOTADB|CORRUPT)/

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : ''
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const code = codeOf(error)
  // Node's own messages start with their code ("EROFS: read-only file system…"); SQLite's do not.
  return code === '' || message.startsWith(code) ? message : `${code}: ${message}`
}

function onMemory(dataDir: string, error: unknown): OpenedStore {
  const why = `SmartSplit cannot use the data dir ${dataDir} (${reasonOf(error)}), so it runs on the memory store: usage, learning and quota counts last only until it stops`
  return {
    store: new MemoryStore({ problem: `${why}.` }),
    warnings: [`${why}. Give your user write access to ${dataDir}, or choose another with --data-dir.`],
  }
}

/** Renames a database SQLite cannot read, with its -wal and -shm files, so a fresh one can take its place. */
function moveAside(path: string, nowMs: number): string {
  const aside = `${path}.corrupt-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}`
  renameSync(path, aside)
  for (const suffix of ['-wal', '-shm']) {
    try {
      renameSync(path + suffix, aside + suffix)
    } catch {
      // absent: nothing to move
    }
  }
  return aside
}

function openSqlite(options: OpenStoreOptions, lock: DataDirLock): SqliteStore {
  return new SqliteStore({
    dataDir: options.dataDir,
    nowMs: options.nowMs,
    retentionDays: options.retentionDays,
    warn: options.warn,
    onClose: () => lock.release(),
  })
}

/**
 * The store the config asks for, or the closest one that works: SmartSplit starts whatever state its data
 * dir is in. A database SQLite cannot read (corrupt, truncated, not a database) is moved aside as
 * `smartsplit.db.corrupt-<time>` and a fresh one started; a data dir that cannot be written (read-only,
 * not a directory, no permission) means the memory store. Only another running SmartSplit on the same
 * data dir stops the start (DataDirInUseError).
 */
export function openStore(options: OpenStoreOptions): OpenedStore {
  if (options.kind === 'memory') return { store: new MemoryStore(), warnings: [] }
  const { dataDir } = options
  let lock: DataDirLock
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    lock =
      options.lockHeldByParent === true
        ? HELD_BY_PARENT
        : lockDataDir(dataDir, options.processes, options.nowMs())
  } catch (error) {
    if (error instanceof DataDirInUseError) throw error
    return onMemory(dataDir, error)
  }
  try {
    return { store: openSqlite(options, lock), warnings: [] }
  } catch (error) {
    if (!CORRUPT_CODES.test(codeOf(error))) {
      lock.release()
      return onMemory(dataDir, error)
    }
    const path = join(dataDir, DATABASE_FILE)
    try {
      const aside = moveAside(path, options.nowMs())
      const store = openSqlite(options, lock)
      const warning = `${path} could not be read (${reasonOf(error)}) and was moved aside to ${aside}; SmartSplit started with a fresh store (usage, learning and quota counts start again; the old ones stay in the moved file).`
      return { store, warnings: [warning] }
    } catch (again) {
      lock.release()
      return onMemory(dataDir, again)
    }
  }
}
