import type { ArmRecord } from '../store/types.js'
import { type ArmStatistics, createMemoryArmStatistics } from './arm-statistics.js'

// Hand-written because it is the product's judgement: a discounted UCB1-Tuned over (task, provider,
// model). Each arm starts from the routing table's prior as `priorWeight` pseudo-observations, so a new
// installation ranks exactly like the table and then adapts. Observations decay by `discount` per
// observation of the same task, so a provider that gets worse (or better) is noticed within a few dozen
// to a few hundred requests instead of being outvoted by its past forever. Defaults (prior weight 1,
// exploration 0.2, discount 0.985) were chosen on the learning-regret simulation in bench/ (regret vs an
// oracle that knows the best fixed provider, and time to notice a change): see BENCHMARKS.md.

export interface BanditOptions {
  /** Pseudo-observations the table prior is worth. */
  priorWeight?: number
  /** UCB exploration constant. */
  exploration?: number
  /** Per-observation decay of old evidence (1 = stationary UCB1). */
  discount?: number
}

/**
 * The learner's policy over statistics kept in an `ArmStatistics` store (in memory unless given one).
 */
export class Bandit {
  readonly #statistics: ArmStatistics
  readonly #priorWeight: number
  readonly #exploration: number
  readonly #discount: number

  constructor(options: BanditOptions = {}, statistics: ArmStatistics = createMemoryArmStatistics()) {
    this.#priorWeight = options.priorWeight ?? 1
    this.#exploration = options.exploration ?? 0.2
    this.#discount = options.discount ?? 0.985
    this.#statistics = statistics
  }

  /** Records one outcome in [0, 1] for an arm; older evidence of the same task fades. */
  record(task: string, provider: string, model: string, reward: number): void {
    const clamped = Math.min(1, Math.max(0, reward))
    this.#statistics.observe(task, provider, model, clamped, this.#discount)
  }

  /**
   * The arm's upper confidence bound: its prior-blended mean reward plus an exploration bonus that grows
   * while the arm is neglected. An untried arm scores its prior plus the largest bonus; an arm that keeps
   * failing sinks towards 0 and below every untried one.
   */
  quality(task: string, provider: string, model: string, prior: number): number {
    const arm = this.#statistics.arm(task, provider, model) ?? { pulls: 0, rewardSum: 0, rewardSquareSum: 0 }
    const evidence = this.#priorWeight + arm.pulls
    const mean = (prior * this.#priorWeight + arm.rewardSum) / evidence
    const totals = this.#statistics.totals(task)
    const logTotal = Math.log(Math.max(totals.observations, totals.pulls) + 1)
    // UCB1-Tuned: an arm whose rewards barely vary needs little exploring to be known; the bound shrinks
    // with the observed variance (capped at 1/4, a coin flip's), so reliable providers are not re-tried
    // for nothing while erratic or rarely seen ones still are.
    const observedMean = arm.pulls > 0 ? arm.rewardSum / arm.pulls : 0
    const variance =
      arm.pulls > 0 ? Math.max(0, arm.rewardSquareSum / arm.pulls - observedMean * observedMean) : 0.25
    const varianceBound = Math.min(0.25, variance + Math.sqrt((2 * logTotal) / evidence))
    return mean + this.#exploration * Math.sqrt((logTotal / evidence) * varianceBound)
  }

  export(): ArmRecord[] {
    return this.#statistics.export()
  }
}

/** Reward of one attempt: failure 0; success 0.7 plus up to 0.3 for being faster than the task's typical latency. */
export function rewardFor(outcome: {
  ok: boolean
  qualityPassed: boolean
  latencyMs: number
  typicalLatencyMs: number
}): number {
  if (!outcome.ok) return 0
  if (!outcome.qualityPassed) return 0.2
  const speed = outcome.latencyMs <= 0 ? 1 : Math.min(1, outcome.typicalLatencyMs / outcome.latencyMs)
  return 0.7 + 0.3 * speed
}
