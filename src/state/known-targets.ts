import type { ProviderConfig } from '../config/types.js'
import { targetKey } from './target-key.js'
import type { TargetStore } from './target-store.js'
import type { AttemptTarget } from './types.js'

/** Every configured model of every enabled provider on each key, plus anything used since. */
export function knownTargets(providers: Iterable<ProviderConfig>, store: TargetStore): AttemptTarget[] {
  const targets = new Map<string, AttemptTarget>()
  for (const provider of providers) {
    if (!provider.enabled) continue
    for (const model of new Set([provider.model, provider.fastModel, provider.strongModel])) {
      for (let keyIndex = 0; keyIndex < Math.max(1, provider.apiKeys.length); keyIndex++) {
        const target = { provider: provider.name, model, keyIndex }
        targets.set(targetKey(target), target)
      }
    }
  }
  for (const target of store.seen()) targets.set(targetKey(target), target)
  return [...targets.values()]
}
