import { seededRandom } from '../src/lib/random.js'

export interface ClassStats {
  precision: number
  recall: number
  f1: number
  support: number
}

export function perClassStats(
  labels: readonly string[],
  gold: string[],
  predicted: string[],
): Record<string, ClassStats> {
  const out: Record<string, ClassStats> = {}
  for (const label of labels) {
    let tp = 0
    let fp = 0
    let fn = 0
    for (let i = 0; i < gold.length; i++) {
      if (predicted[i] === label && gold[i] === label) tp++
      else if (predicted[i] === label) fp++
      else if (gold[i] === label) fn++
    }
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp)
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn)
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
    out[label] = { precision, recall, f1, support: tp + fn }
  }
  return out
}

export function macroF1(labels: readonly string[], gold: string[], predicted: string[]): number {
  const stats = perClassStats(labels, gold, predicted)
  return labels.reduce((sum, label) => sum + (stats[label]?.f1 ?? 0), 0) / labels.length
}

export function accuracy(gold: readonly string[], predicted: readonly string[]): number {
  let hits = 0
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) hits++
  return gold.length === 0 ? 0 : hits / gold.length
}

/** Percentile bootstrap with a seeded generator, so the interval is reproducible. */
export function bootstrapInterval(
  size: number,
  statistic: (indices: number[]) => number,
  { rounds = 1_000, seed = 20_240_601 } = {},
): [number, number] {
  const random = seededRandom(seed)
  const values: number[] = []
  for (let r = 0; r < rounds; r++) {
    const indices = Array.from({ length: size }, () => Math.floor(random.next() * size))
    values.push(statistic(indices))
  }
  values.sort((a, b) => a - b)
  return [
    values[Math.floor(rounds * 0.025)] ?? 0,
    values[Math.min(rounds - 1, Math.floor(rounds * 0.975))] ?? 0,
  ]
}

export function confusionMatrix(labels: readonly string[], gold: string[], predicted: string[]): number[][] {
  const matrix = labels.map(() => labels.map(() => 0))
  for (let i = 0; i < gold.length; i++) {
    const row = labels.indexOf(gold[i] ?? '')
    const column = labels.indexOf(predicted[i] ?? '')
    if (row >= 0 && column >= 0) matrix[row]![column]!++
  }
  return matrix
}

/** Micro-averaged F1 of per-row multisets of part types. */
export function multisetF1(gold: string[][], predicted: string[][]): number {
  let matched = 0
  let goldTotal = 0
  let predictedTotal = 0
  for (let i = 0; i < gold.length; i++) {
    const remaining = [...(gold[i] ?? [])]
    goldTotal += remaining.length
    predictedTotal += predicted[i]?.length ?? 0
    for (const task of predicted[i] ?? []) {
      const at = remaining.indexOf(task)
      if (at >= 0) {
        matched++
        remaining.splice(at, 1)
      }
    }
  }
  const precision = predictedTotal === 0 ? 0 : matched / predictedTotal
  const recall = goldTotal === 0 ? 0 : matched / goldTotal
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)
}

export function percentile(sortedValues: number[], p: number): number {
  if (sortedValues.length === 0) return 0
  const index = Math.min(sortedValues.length - 1, Math.ceil((p / 100) * sortedValues.length) - 1)
  return sortedValues[Math.max(0, index)] ?? 0
}
