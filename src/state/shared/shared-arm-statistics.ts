import { type ArmStatistics, createMemoryArmStatistics } from '../learning/arm-statistics.js'
import type { ArmRecord } from '../store/types.js'
import { type PullAnswer, pairsOf } from './shared-answers.js'
import { pairField, type SharedOp } from './shared-ops.js'
import type { SharedExtra } from './state-sync.js'

/**
 * The learner's statistics shared by every instance: each observation is applied here at once and sent
 * to Redis, where one script applies it to the shared arms (older evidence of the task fades there too);
 * every pull replaces the copy here by the shared one.
 */
export function createSharedArmStatistics(
  saved: readonly ArmRecord[],
  forward: (op: SharedOp) => void,
): ArmStatistics & SharedExtra {
  let copy = createMemoryArmStatistics(saved)
  return {
    arm: (task, provider, model) => copy.arm(task, provider, model),
    totals: (task) => copy.totals(task),
    export: () => copy.export(),
    observe(task, provider, model, reward, discount) {
      copy.observe(task, provider, model, reward, discount)
      forward({ kind: 'arm', task, field: pairField(provider, model), reward, discount })
    },
    adopt(pulled: PullAnswer) {
      // Nothing shared yet (a new or emptied Redis): keep what is known here until the seed lands.
      if (pulled.arms.length === 0) return
      const records: ArmRecord[] = []
      const observations = new Map<string, number>()
      for (const [task, count, flat] of pulled.arms) {
        observations.set(task, count)
        for (const [field, value] of pairsOf(flat)) {
          const [provider, model] = field.split('\u0000')
          const [pulls, rewardSum, rewardSquareSum] = value.split(' ').map(Number)
          const numbers = [pulls, rewardSum, rewardSquareSum]
          if (provider === undefined || model === undefined || !numbers.every((n) => Number.isFinite(n)))
            continue
          records.push({
            task,
            provider,
            model,
            pulls: pulls!,
            rewardSum: rewardSum!,
            rewardSquareSum: rewardSquareSum!,
          })
        }
      }
      copy = createMemoryArmStatistics(records, observations)
    },
    seedOps: () =>
      copy.export().map((arm) => ({
        kind: 'arm_seed',
        task: arm.task,
        field: pairField(arm.provider, arm.model),
        pulls: arm.pulls,
        rewardSum: arm.rewardSum,
        rewardSquareSum: arm.rewardSquareSum ?? arm.rewardSum,
        observations: copy.totals(arm.task).observations,
      })),
  }
}
