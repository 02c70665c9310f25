import { keyFingerprint } from './key-fingerprint.js'
import type { SavedCounters } from './saved-counters-schema.js'
import type { Blocks, UsageWindows } from './target-store.js'
import type { AttemptTarget } from './types.js'

/** Daily usage and timed blocks as plain JSON; disabled keys are left out (a config change clears them). */
export function exportSavedCounters(input: {
  nowMs: number
  tracker: UsageWindows
  cooldowns: Blocks
  apiKeysOf(provider: string): readonly string[]
}): SavedCounters {
  const identify = (target: AttemptTarget) => ({
    ...target,
    keyFingerprint: keyFingerprint(input.apiKeysOf(target.provider), target.keyIndex),
  })
  return {
    version: 1,
    savedAtMs: input.nowMs,
    targets: input.tracker
      .exportCounters()
      .map(({ target, counters }) => ({ ...identify(target), day: counters.day, minute: counters.minute })),
    blocks: input.cooldowns
      .exportBlocks()
      .flatMap(({ target, block }) =>
        block.state === 'disabled' || block.untilMs === null
          ? []
          : [{ ...identify(target), state: block.state, untilMs: block.untilMs, reason: block.reason }],
      ),
  }
}
