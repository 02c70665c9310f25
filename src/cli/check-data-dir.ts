import { accessSync, constants, mkdtempSync, rmdirSync, type Stats, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { DoctorCheck } from './doctor-check.js'

const DATABASE_FILE = 'smartsplit.db'

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error)
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path)
  } catch {
    return null
  }
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

// The store creates the directory (0700) on start, so a missing one is fine when its parent is writable.
function checkMissingDir(dir: string): DoctorCheck {
  let ancestor = dirname(dir)
  while (statOrNull(ancestor) === null && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor)
  const stat = statOrNull(ancestor)
  if (stat?.isDirectory() === true) {
    try {
      accessSync(ancestor, constants.W_OK)
      return { status: 'ok', name: 'data dir', detail: `${dir} (created on start, owner-only)` }
    } catch {
      // not writable: reported below
    }
  }
  return {
    status: 'fail',
    name: 'data dir',
    detail: `${dir} cannot be created: ${ancestor} is ${stat?.isDirectory() === true ? 'not writable' : 'not a directory'}`,
    hint: `create it (mkdir -p -m 700 ${dir}) or choose another with --data-dir`,
  }
}

/** Exists or can be created, is writable for real (a temporary entry is made), and is owner-only. */
export function checkDataDir(dir: string): DoctorCheck {
  const stat = statOrNull(dir)
  if (stat === null) return checkMissingDir(dir)
  if (!stat.isDirectory()) {
    return {
      status: 'fail',
      name: 'data dir',
      detail: `${dir} is not a directory`,
      hint: 'point --data-dir (or "data_dir") at a directory',
    }
  }
  try {
    rmdirSync(mkdtempSync(join(dir, '.doctor-')))
  } catch (error) {
    return {
      status: 'fail',
      name: 'data dir',
      detail: `${dir} is not writable (${errorCode(error)})`,
      hint: `give your user write access (chown -R "$USER" ${dir}) or choose another with --data-dir`,
    }
  }
  const database = statOrNull(join(dir, DATABASE_FILE))
  const databaseText = database === null ? 'no database yet' : `${DATABASE_FILE} ${sizeText(database.size)}`
  // Prompts are stored when log_prompts is on, and usage always: other users have no business reading it.
  const openTo = [stat, database].filter((s) => s !== null && (s.mode & 0o077) !== 0)
  if (openTo.length > 0) {
    return {
      status: 'warn',
      name: 'data dir',
      detail: `${dir} writable, ${databaseText}, but readable by other users (${octal(stat.mode)})`,
      hint: `chmod 700 ${dir}${database === null ? '' : ` && chmod 600 ${join(dir, DATABASE_FILE)}`}`,
    }
  }
  return {
    status: 'ok',
    name: 'data dir',
    detail: `${dir} writable, owner-only (${octal(stat.mode)}), ${databaseText}`,
  }
}
