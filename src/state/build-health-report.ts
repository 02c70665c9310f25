import type { ProviderConfig } from '../config/types.js'
import { capacityAdvice } from './capacity-advice.js'
import { nextDailyResetMs } from './next-daily-reset-ms.js'
import type { RetiredModel } from './retired-models.js'
import type { Breaker } from './target-store.js'
import type { AttemptTarget, HealthReport, KeyHealth, ModelHealth, TargetView } from './types.js'

export interface HealthReportInput {
  atMs: number
  providers: readonly ProviderConfig[]
  targets: readonly AttemptTarget[]
  zoneOf(provider: string): string
  view(target: AttemptTarget): TargetView
  breakerOf(target: AttemptTarget): Breaker
  poolOf(target: AttemptTarget): string
  retired: readonly RetiredModel[]
}

/**
 * The GET /health view, per provider, model and key. Keys appear as "key 1" and a four-character hint,
 * never in full; reasons were redacted when they were recorded.
 */
export function buildHealthReport(input: HealthReportInput): HealthReport {
  return {
    atMs: input.atMs,
    providers: input.providers.map((provider) => {
      const zone = input.zoneOf(provider.name)
      const targets = input.targets.filter((target) => target.provider === provider.name)
      const models = [...new Set(targets.map((target) => target.model))]
      return {
        provider: provider.name,
        dailyResetZone: zone,
        nextDailyResetMs: nextDailyResetMs(input.atMs, zone),
        capacity: capacityAdvice(provider),
        retiredModels: input.retired
          .filter((gone) => gone.provider === provider.name)
          .map((gone) => ({
            model: gone.model,
            reason: gone.reason,
            since: new Date(gone.sinceMs).toISOString(),
            recheckAt: new Date(gone.recheckAtMs).toISOString(),
          })),
        models: models.map((model) => modelHealth(input, provider, model, targets)),
      }
    }),
  }
}

function modelHealth(
  input: HealthReportInput,
  provider: ProviderConfig,
  model: string,
  targets: readonly AttemptTarget[],
): ModelHealth {
  const keyTargets = targets
    .filter((target) => target.model === model)
    .sort((a, b) => a.keyIndex - b.keyIndex)
  const first = keyTargets[0] ?? { provider: provider.name, model, keyIndex: 0 }
  const breaker = input.breakerOf(first)
  return {
    model,
    breaker: {
      state: breaker.state(),
      untilMs: breaker.openUntilMs(),
      recentFailures: breaker.recentFailures(),
    },
    keys: keyTargets.map((target) =>
      keyHealth(input.view(target), provider.apiKeys[target.keyIndex], input.poolOf(target)),
    ),
  }
}

function keyHealth(view: TargetView, apiKey: string | undefined, pool: string): KeyHealth {
  const { availability } = view
  return {
    key: `key ${view.target.keyIndex + 1}`,
    // Twenty characters or more, so the hint never gives away a meaningful share of the key.
    keyHint: apiKey !== undefined && apiKey.length >= 20 ? `…${apiKey.slice(-4)}` : null,
    state: availability.state,
    untilMs: availability.untilMs,
    until: availability.untilMs === null ? null : new Date(availability.untilMs).toISOString(),
    reason: availability.reason,
    pool,
    remaining: view.remaining,
    limits: view.limits,
  }
}
