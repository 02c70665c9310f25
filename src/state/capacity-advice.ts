import type { ProviderConfig } from '../config/types.js'

/** How a provider's keys add up, in words for /health, `smartsplit stats` and `smartsplit providers`. */
export interface CapacitySummary {
  /** Who owns the limits: each key, or the account / project its keys share. */
  poolScope: ProviderConfig['poolScope']
  /** Distinct pools among the configured keys. */
  pools: string[]
  keys: number
  advice: string
}

const OWNER: Readonly<Record<ProviderConfig['poolScope'], string>> = {
  key: 'key',
  account: 'account',
  project: 'Google Cloud project',
}

/**
 * What the configured keys of one provider are worth. Keys of one account or project share its limits
 * (a second key adds nothing); only keys from separate accounts or projects multiply capacity, where the
 * provider's terms allow it, and the config must say so with a `pool` on each key.
 */
export function capacityAdvice(provider: ProviderConfig): CapacitySummary {
  const pools = [...new Set(provider.keyPools)]
  const keys = provider.apiKeys.length
  const owner = OWNER[provider.poolScope]
  const said = provider.catalogSource?.pool_scope.note
  const providerSays = said === undefined ? '' : ` ${provider.displayName}: ${said}.`
  let advice: string
  if (provider.catalogSource?.more_accounts_add_capacity?.value === false) {
    advice = `Limits belong to the ${owner}, and neither more keys nor more ${owner}s add capacity here: ${keys} key${keys === 1 ? '' : 's'}, one ${owner}'s worth.`
  } else if (provider.poolScope === 'key') {
    advice = `Each key has its own limits: ${keys} key${keys === 1 ? '' : 's'}, ${keys}× the capacity.`
  } else if (keys <= 1) {
    advice = `Limits belong to the ${owner}. More keys of the same ${owner} add nothing; a key from another ${owner} adds capacity if given its own "pool" in smartsplit.json (where the provider's terms allow it).`
  } else if (pools.length < keys) {
    advice = `${keys} keys share ${pools.length} pool${pools.length === 1 ? '' : 's'} (${pools.join(', ')}): keys of one ${owner} share its limits, so SmartSplit counts them once. If some come from separate ${owner}s, give each its own "pool" in smartsplit.json (api_keys: [{"key": "…", "pool": "name"}]) to use their capacity too.`
  } else {
    advice = `${keys} keys in ${pools.length} separate pools: counted as separate ${owner}s. If two belong to one ${owner}, give them the same "pool", or SmartSplit will promise capacity that is not there.`
  }
  return { poolScope: provider.poolScope, pools, keys, advice: `${advice}${providerSays}` }
}
