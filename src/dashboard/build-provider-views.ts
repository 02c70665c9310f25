import type { ProviderConfig } from '../config/types.js'
import { keyFingerprint } from '../state/key-fingerprint.js'
import type { ArmRecord } from '../state/store/types.js'
import type { HealthReport, ModelHealth, ProviderHealth } from '../state/types.js'
import type { ModelActivity } from './attempt-window.js'
import type { ModelView, ProviderView } from './types.js'

export interface ProviderViewInputs {
  providers: readonly ProviderConfig[]
  health: HealthReport
  /** The last hour's calls per "provider\u0000model". */
  activity: ReadonlyMap<string, ModelActivity>
  arms: readonly ArmRecord[]
}

const NO_ACTIVITY: ModelActivity = { calls: 0, latencyP50Ms: null, latencyP95Ms: null, errors: {} }

/** The learner's mean reward per "provider\u0000model", over every task, weighted by its (decayed) calls. */
function learnedScores(arms: readonly ArmRecord[]): Map<string, { score: number; calls: number }> {
  const sums = new Map<string, { reward: number; pulls: number }>()
  for (const arm of arms) {
    const key = `${arm.provider}\u0000${arm.model}`
    const sum = sums.get(key) ?? { reward: 0, pulls: 0 }
    sum.reward += arm.rewardSum
    sum.pulls += arm.pulls
    sums.set(key, sum)
  }
  const scores = new Map<string, { score: number; calls: number }>()
  for (const [key, sum] of sums)
    if (sum.pulls > 0) scores.set(key, { score: sum.reward / sum.pulls, calls: Math.round(sum.pulls) })
  return scores
}

function modelView(
  provider: ProviderConfig,
  model: ModelHealth,
  inputs: ProviderViewInputs,
  scores: ReadonlyMap<string, { score: number; calls: number }>,
): ModelView {
  const key = `${provider.name}\u0000${model.model}`
  const activity = inputs.activity.get(key) ?? NO_ACTIVITY
  return {
    model: model.model,
    breaker: model.breaker,
    calls: activity.calls,
    latencyP50Ms: activity.latencyP50Ms,
    latencyP95Ms: activity.latencyP95Ms,
    errors: activity.errors,
    learned: scores.get(key) ?? null,
    keys: model.keys.map((health) => {
      const index = Number(health.key.replace(/^key /, '')) - 1
      return {
        key: health.key,
        hint: health.keyHint,
        fingerprint: keyFingerprint(provider.apiKeys, index),
        state: health.state,
        untilMs: health.untilMs,
        reason: health.reason,
        pool: health.pool,
        remaining: health.remaining,
        limits: health.limits,
      }
    }),
  }
}

/**
 * Every provider: the enabled ones per model and key, as GET /health reports them (state and why,
 * remaining capacity, quota pools, retired models), with the last hour's latency and errors and what the
 * learner has seen; the disabled ones with the reason.
 */
export function buildProviderViews(inputs: ProviderViewInputs): ProviderView[] {
  const health = new Map<string, ProviderHealth>(inputs.health.providers.map((p) => [p.provider, p]))
  const scores = learnedScores(inputs.arms)
  const shown = inputs.providers.filter((provider) => provider.enabled || provider.isRequested)
  return shown.map((provider) => {
    const report = provider.enabled ? health.get(provider.name) : undefined
    return {
      name: provider.name,
      tier: provider.tier,
      enabled: provider.enabled,
      disabledReason: provider.disabledReason,
      dailyResetZone: report?.dailyResetZone ?? null,
      nextDailyResetMs: report?.nextDailyResetMs ?? null,
      capacityAdvice: report?.capacity.advice ?? null,
      retiredModels: report?.retiredModels ?? [],
      models: (report?.models ?? []).map((model) => modelView(provider, model, inputs, scores)),
    }
  })
}
