import { type FSWatcher, watch } from 'node:fs'
import { basename, dirname } from 'node:path'

export interface ConfigWatcher {
  close(): void
}

/** Editors save in bursts (truncate, write, rename): one reload once the file has been quiet this long. */
const SETTLE_MS = 200

/**
 * Calls `onChange` after the config file changes. The directory is watched, not the file: an editor
 * that saves by writing a new file and renaming it over the old one replaces the inode a file watch
 * would follow. A directory that cannot be watched yields `onError` once; SIGHUP still reloads.
 */
export function watchConfig(
  path: string,
  onChange: () => void,
  onError: (error: Error) => void,
  settleMs = SETTLE_MS,
): ConfigWatcher {
  const name = basename(path)
  let timer: NodeJS.Timeout | undefined
  let watcher: FSWatcher | null = null
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed !== name) return
      clearTimeout(timer)
      timer = setTimeout(onChange, settleMs)
    })
    watcher.on('error', onError)
  } catch (error) {
    onError(error as Error)
  }
  return {
    close() {
      clearTimeout(timer)
      watcher?.close()
    },
  }
}
