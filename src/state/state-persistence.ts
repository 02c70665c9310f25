import type { Clock } from '../lib/clock.js'
import { exportSavedCounters } from './export-saved-counters.js'
import { importSavedCounters } from './import-saved-counters.js'
import type { SavedCounters } from './saved-counters-schema.js'
import type { TargetStore } from './target-store.js'

/**
 * Daily counts and timed blocks saved across restarts, for state that lives in this process. A store
 * shared by several instances keeps them itself and saves nothing here.
 */
export interface StatePersistence {
  exportCounters(): SavedCounters
  /** Restores saved counters (validated, throws when they are not); how many targets and blocks were taken. */
  importCounters(saved: unknown): { targets: number; blocks: number }
}

export function createStatePersistence(input: {
  store: TargetStore
  clock: Clock
  apiKeysOf(provider: string): readonly string[]
}): StatePersistence {
  const { store, clock, apiKeysOf } = input
  return {
    exportCounters: () =>
      exportSavedCounters({
        nowMs: clock.nowMs(),
        tracker: store.windows,
        cooldowns: store.blocks,
        apiKeysOf,
      }),
    importCounters(saved) {
      const deps = { nowMs: clock.nowMs(), tracker: store.windows, cooldowns: store.blocks, apiKeysOf }
      const imported = importSavedCounters(saved, deps)
      for (const target of imported.targets) store.touch(target)
      return { targets: imported.targets.length - imported.blockCount, blocks: imported.blockCount }
    },
  }
}
