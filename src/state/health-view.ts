import type { ProviderConfig } from '../config/types.js'
import type { Clock } from '../lib/clock.js'
import { buildHealthReport } from './build-health-report.js'
import type { QuotaPools } from './quota-pools.js'
import type { RetiredModel } from './retired-models.js'
import { availabilityOf, isUsable, viewOf } from './target-standing.js'
import type { TargetStore } from './target-store.js'
import type { AttemptTarget, HealthReport } from './types.js'

/** What /health, /metrics, the CLI and the dashboard read; never used to decide a call. */
export interface HealthView {
  report(): HealthReport
  /** Now if a target is usable; else when the first one recovers; null if none ever will without config. */
  earliestRecoveryMs(): number | null
  retiredModels(): RetiredModel[]
}

export interface HealthViewInput {
  store: TargetStore
  clock: Clock
  providers: readonly ProviderConfig[]
  pools: Pick<QuotaPools, 'poolOf'>
  failureThreshold: number
  zoneOf(provider: string): string
  knownTargets(): AttemptTarget[]
}

export function createHealthView(input: HealthViewInput): HealthView {
  const { store, clock } = input
  return {
    report: () =>
      buildHealthReport({
        atMs: clock.nowMs(),
        providers: input.providers.filter((provider) => provider.enabled),
        targets: input.knownTargets(),
        zoneOf: input.zoneOf,
        view: (target) => viewOf(store, target, clock.nowMs(), input.failureThreshold),
        breakerOf: (target) => store.breakers.of(target),
        poolOf: input.pools.poolOf,
        retired: store.retired.list(),
      }),
    earliestRecoveryMs() {
      let earliest: number | null = null
      for (const target of input.knownTargets()) {
        const availability = availabilityOf(store, target, clock.nowMs())
        if (isUsable(store, target, availability)) return clock.nowMs()
        if (availability.untilMs !== null && (earliest === null || availability.untilMs < earliest))
          earliest = availability.untilMs
      }
      return earliest
    },
    retiredModels: () => store.retired.list(),
  }
}
