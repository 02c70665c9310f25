import type { ArmRecord } from '../store/types.js'

/** What is known of one (task, provider, model): discounted observations and their rewards. */
export interface Arm {
  pulls: number
  rewardSum: number
  /** Sum of squared rewards, for the variance that scales exploration (UCB1-Tuned). */
  rewardSquareSum: number
}

/**
 * Where the learner's statistics live. One observation is one update (older evidence of the task fades
 * and the arm gains the new reward together), so a store shared by several instances can apply it
 * atomically; the learner's policy (bandit.ts) only reads arms and totals.
 */
export interface ArmStatistics {
  arm(task: string, provider: string, model: string): Arm | undefined
  /** Discounts every arm of `task` by `discount`, then adds one observation of `reward` to the arm. */
  observe(task: string, provider: string, model: string, reward: number, discount: number): void
  /** Discounted pulls over the task's arms, and its undiscounted number of observations. */
  totals(task: string): { pulls: number; observations: number }
  export(): ArmRecord[]
}

const keyOf = (task: string, provider: string, model: string): string =>
  `${task}\u0000${provider}\u0000${model}`

/**
 * The statistics of one process, in memory (restored from and saved to the store by the app), or a copy
 * of shared ones with each task's observations.
 */
export function createMemoryArmStatistics(
  saved: readonly ArmRecord[] = [],
  observations: ReadonlyMap<string, number> = new Map(),
): ArmStatistics {
  const arms = new Map<string, Arm>()
  const pullsByTask = new Map<string, number>()
  const observationsByTask = new Map(observations)
  for (const record of saved) {
    arms.set(keyOf(record.task, record.provider, record.model), {
      pulls: record.pulls,
      rewardSum: record.rewardSum,
      rewardSquareSum: record.rewardSquareSum ?? record.rewardSum,
    })
    pullsByTask.set(record.task, (pullsByTask.get(record.task) ?? 0) + record.pulls)
  }
  return {
    arm: (task, provider, model) => arms.get(keyOf(task, provider, model)),
    observe(task, provider, model, reward, discount) {
      const prefix = `${task}\u0000`
      let total = 0
      for (const [key, arm] of arms) {
        if (!key.startsWith(prefix)) continue
        arm.pulls *= discount
        arm.rewardSum *= discount
        arm.rewardSquareSum *= discount
        total += arm.pulls
      }
      const key = keyOf(task, provider, model)
      const arm = arms.get(key) ?? { pulls: 0, rewardSum: 0, rewardSquareSum: 0 }
      arm.pulls += 1
      arm.rewardSum += reward
      arm.rewardSquareSum += reward * reward
      arms.set(key, arm)
      pullsByTask.set(task, total + 1)
      observationsByTask.set(task, (observationsByTask.get(task) ?? 0) + 1)
    },
    totals: (task) => ({
      pulls: pullsByTask.get(task) ?? 0,
      observations: observationsByTask.get(task) ?? 0,
    }),
    export: () =>
      [...arms].map(([key, arm]) => {
        const [task, provider, model] = key.split('\u0000') as [string, string, string]
        return { task, provider, model, ...arm }
      }),
  }
}
