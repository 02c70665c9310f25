import type { ProviderConfig } from '../config/types.js'
import type { Clock } from '../lib/clock.js'
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js'
import { type Coordination, type CoordinationRules, createCoordination } from './coordination.js'
import { dailyResetZone } from './daily-reset-zone.js'
import { createHealthView, type HealthView } from './health-view.js'
import { knownTargets } from './known-targets.js'
import { nextDailyResetMs } from './next-daily-reset-ms.js'
import { quotaPools } from './quota-pools.js'
import type { RetiredModel } from './retired-models.js'
import type { StateChange } from './state-change.js'
import { createStatePersistence, type StatePersistence } from './state-persistence.js'
import { createMemoryTargetStore, type TargetStore } from './target-store.js'

export type { Coordination } from './coordination.js'
export type { HealthView } from './health-view.js'
export type { StatePersistence } from './state-persistence.js'

export interface ProviderStateOptions {
  clock: Clock
  providers: readonly ProviderConfig[]
  breaker?: Partial<CircuitBreakerOptions>
  /** Per-provider IANA zones for the daily reset, over the built-in table (Gemini: Pacific, else UTC). */
  dailyResetZones?: Readonly<Record<string, string>>
  /** Told when a target enters a worse state (breaker open, cooldown, quota spent, key disabled). */
  onChange?: (change: StateChange) => void
  /** Told once when a provider first answers that a model is gone (the app logs a warning). */
  onModelRetired?: (retired: RetiredModel) => void
  /** Where the state lives; this process's memory unless given. */
  store?: TargetStore
  /** Admission over another store (one shared by several instances), given this process's own. */
  coordinate?: (local: Coordination, rules: CoordinationRules) => Coordination
}

/**
 * Breakers, rate limits, cooldowns, quotas and retired models for every provider × model × key, seen
 * three ways: coordination (who may be called, one lease per call), a health view (what /health and the
 * CLI show) and persistence (what survives a restart). All three read one store.
 */
export interface ProviderState {
  coordination: Coordination
  health: HealthView
  persistence: StatePersistence
}

export function createProviderState(options: ProviderStateOptions): ProviderState {
  const { clock } = options
  const providers = new Map(options.providers.map((provider) => [provider.name, provider]))
  const zones = options.dailyResetZones ?? {}
  const zoneOf = (provider: string): string => dailyResetZone(provider, zones)
  // RangeError on a bad zone. Only the overrides need the check: the built-in table holds known zones, and
  // checking Pacific time at startup would load ICU's zone data into a process that may never use it.
  for (const provider of providers.keys()) {
    if (Object.hasOwn(zones, provider)) nextDailyResetMs(clock.nowMs(), zoneOf(provider))
  }
  const breaker = { ...CircuitBreaker.defaults, ...options.breaker }
  const pools = quotaPools(options.providers)
  const store = options.store ?? createMemoryTargetStore({ clock, breaker, pools, resetZoneFor: zoneOf })
  const apiKeysOf = (provider: string): readonly string[] => providers.get(provider)?.apiKeys ?? []
  const known = () => knownTargets(providers.values(), store)
  const rules: CoordinationRules = {
    store,
    clock,
    failureThreshold: breaker.failureThreshold,
    knownTargets: known,
    apiKeysOf,
    zoneOf,
    onChange: options.onChange,
    onModelRetired: options.onModelRetired,
  }
  const local = createCoordination(rules)
  return {
    coordination: options.coordinate?.(local, rules) ?? local,
    health: createHealthView({
      store,
      clock,
      providers: options.providers,
      pools,
      failureThreshold: breaker.failureThreshold,
      zoneOf,
      knownTargets: known,
    }),
    persistence: createStatePersistence({ store, clock, apiKeysOf }),
  }
}
