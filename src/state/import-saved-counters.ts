import { keyFingerprint } from './key-fingerprint.js'
import { savedCountersSchema } from './saved-counters-schema.js'
import type { Blocks, UsageWindows } from './target-store.js'
import type { AttemptTarget } from './types.js'

/** A saved quota block is kept at most this long past its target's next daily reset. */
const QUOTA_GRACE_MS = 3_600_000

interface SavedTarget {
  provider: string
  model: string
  keyIndex: number
  keyFingerprint: string | null
}

/**
 * Restores what `exportSavedCounters` wrote. Counts follow their key by fingerprint (the config may
 * have reordered keys); entries for removed keys, ended days and expired blocks are dropped, and blocks
 * are held to the same bounds as fresh ones (a file written before those bounds may hold a cooldown
 * until the year 5195).
 * Throws a ZodError when `input` is not saved counters.
 */
export function importSavedCounters(
  input: unknown,
  deps: {
    nowMs: number
    tracker: UsageWindows
    cooldowns: Blocks
    apiKeysOf(provider: string): readonly string[]
  },
): { targets: AttemptTarget[]; blockCount: number } {
  const saved = savedCountersSchema.parse(input)
  const targetOf = (entry: SavedTarget): AttemptTarget | null => {
    const keys = deps.apiKeysOf(entry.provider)
    const keyIndex =
      entry.keyFingerprint === null
        ? keys.length === 0
          ? entry.keyIndex
          : -1
        : keys.findIndex((_, index) => keyFingerprint(keys, index) === entry.keyFingerprint)
    return keyIndex === -1 ? null : { provider: entry.provider, model: entry.model, keyIndex }
  }
  const targets: AttemptTarget[] = []
  for (const entry of saved.targets) {
    const target = targetOf(entry)
    if (target === null) continue
    deps.tracker.importCounters(target, { day: entry.day, minute: entry.minute })
    targets.push(target)
  }
  let blockCount = 0
  for (const entry of saved.blocks) {
    const target = targetOf(entry)
    if (target === null || entry.untilMs <= deps.nowMs) continue
    if (entry.state === 'quota') {
      const latestMs = deps.tracker.dayEndMs(target) + QUOTA_GRACE_MS
      deps.cooldowns.exhaustQuota(target, Math.min(entry.untilMs, latestMs), entry.reason)
    } else deps.cooldowns.coolDown(target, entry.untilMs - deps.nowMs, entry.reason)
    targets.push(target)
    blockCount++
  }
  return { targets, blockCount }
}
