import type { ProviderConfig } from '../config/types.js'
import type { FreeTierLimits } from '../providers/catalog.js'
import { targetKey } from './target-key.js'
import type { AttemptTarget } from './types.js'

const NO_LIMITS: FreeTierLimits = { rpm: null, rpd: null, tpm: null, tpd: null }

/** Which quota a target draws on, and the limits of that quota. */
export interface QuotaPools {
  /** The pool a target's key belongs to ("default", "key 2", or a name from the config). */
  poolOf(target: AttemptTarget): string
  /**
   * The counter a target's usage goes to: one per pool and model where each model has its own limits,
   * one per pool where the provider's models share them (OpenRouter's :free requests).
   */
  bucketOf(target: AttemptTarget): string
  /** The configured limits of that counter (null fields: unknown, learned from headers). */
  limitsFor(target: AttemptTarget): FreeTierLimits
}

/** Pools and limits of every configured provider; a target of an unknown provider is its own pool. */
export function quotaPools(providers: readonly ProviderConfig[]): QuotaPools {
  const byName = new Map(providers.map((provider) => [provider.name, provider]))
  const poolOf = (target: AttemptTarget): string =>
    byName.get(target.provider)?.keyPools[target.keyIndex] ?? `key ${target.keyIndex + 1}`
  return {
    poolOf,
    bucketOf(target) {
      const provider = byName.get(target.provider)
      if (provider === undefined) return targetKey(target)
      const scope = provider.limitsPer === 'provider' ? '' : target.model
      return `${target.provider}\u0000${poolOf(target)}\u0000${scope}`
    },
    limitsFor(target) {
      const provider = byName.get(target.provider)
      if (provider === undefined) return NO_LIMITS
      if (provider.limitsPer === 'provider') return provider.limits
      return provider.models.get(target.model)?.limits ?? provider.limits
    },
  }
}
