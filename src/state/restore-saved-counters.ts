import type { StatePersistence } from './state-persistence.js'

/**
 * Loads the saved rate-limit counters into `state`. Saved state is a convenience: a document that cannot
 * be read or fails validation (hand-edited, or written by a SmartSplit with other rules) is discarded,
 * and the returned warning says so; starting with fresh counters beats not starting at all.
 */
export function restoreSavedCounters(load: () => unknown, state: StatePersistence): string | null {
  try {
    const saved = load()
    if (saved !== null) state.importCounters(saved)
    return null
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return `saved rate-limit counters could not be read and were discarded (${reason}); daily counts start again from zero`
  }
}
