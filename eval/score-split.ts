import { analyzeRequest, splitIntoParts, TASK_TYPES } from '../src/pipeline/analyze/index.js'
import type { ChatRequest } from '../src/wire/openai/types.js'
import { type LabeledRow, languageOf, styleOf } from './labeled-rows.js'
import {
  accuracy,
  bootstrapInterval,
  type ClassStats,
  confusionMatrix,
  macroF1,
  multisetF1,
  perClassStats,
} from './metrics.js'

export interface Prediction {
  task: string
  complexity: string
  parts: string[]
}

/** Accuracy of one group of rows (a language, a style). */
export interface GroupScore {
  rows: number
  accuracy: number
}

/** Metrics of one split. */
export interface Scores {
  split: string
  file: string
  rows: number
  accuracy: number
  accuracyCi: [number, number]
  macroF1: number
  macroF1Ci: [number, number]
  perClass: Record<string, ClassStats>
  labels: readonly string[]
  confusion: number[][]
  /** Null where the split has no complexity labels. */
  complexityAccuracy: number | null
  multiPartRows: number
  partCountAccuracy: number
  typedPartF1Multi: number
  typedPartF1All: number
  splitPrecision: number
  splitRecall: number
  splitF1: number
  overSplitSingle: number
  hardNegatives: number
  overSplitHardNegative: number
  nonEnglishAccuracy: number | null
  byLanguage: Record<string, GroupScore>
  byStyle: Record<string, GroupScore>
}

export const asRequest = (prompt: string): ChatRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content: prompt }],
})

export function predict(row: LabeledRow): Prediction {
  const analysis = analyzeRequest(asRequest(row.prompt))
  const parts = splitIntoParts(row.prompt, analysis)
  // Rule 1: a multi-part prompt's task is its first part's.
  return {
    task: parts?.[0]?.task ?? analysis.task,
    complexity: analysis.complexity,
    parts: parts?.map((part) => part.task) ?? [],
  }
}

const isSplit = (p: Prediction): boolean => p.parts.length >= 2
const typesOf = (row: LabeledRow): string[] => row.parts?.map((part) => part.task) ?? [row.task]
const predictedTypes = (p: Prediction): string[] => (isSplit(p) ? p.parts : [p.task])
const pick = <T>(values: T[], indices: number[]): T[] => indices.map((i) => values[i]!)
const share = (count: number, total: number): number => count / Math.max(1, total)

/** Task, complexity, split, language and style metrics of one labeled split. */
export function scoreSplit(
  split: string,
  file: string,
  rows: LabeledRow[],
  predictions: Prediction[],
): Scores {
  const gold = rows.map((row) => row.task)
  const predicted = predictions.map((p) => p.task)
  const indexed = rows.map((row, i) => ({ row, p: predictions[i]! }))
  const multi = indexed.filter(({ row }) => row.parts !== null)
  const single = indexed.filter(({ row }) => row.parts === null)
  const hardNegatives = single.filter(({ row }) => row.tags.includes('hard_negative'))
  const withComplexity = indexed.filter(({ row }) => row.complexity !== undefined)
  const truePositives = multi.filter(({ p }) => isSplit(p)).length
  const predictedSplits = predictions.filter(isSplit).length
  const splitPrecision = share(truePositives, predictedSplits)
  const splitRecall = share(truePositives, multi.length)
  const nonEnglish = indexed.filter(({ row }) => languageOf(row) !== 'en')
  return {
    split,
    file,
    rows: rows.length,
    accuracy: accuracy(gold, predicted),
    accuracyCi: bootstrapInterval(rows.length, (ix) => accuracy(pick(gold, ix), pick(predicted, ix))),
    macroF1: macroF1(TASK_TYPES, gold, predicted),
    macroF1Ci: bootstrapInterval(rows.length, (ix) =>
      macroF1(TASK_TYPES, pick(gold, ix), pick(predicted, ix)),
    ),
    perClass: perClassStats(TASK_TYPES, gold, predicted),
    labels: TASK_TYPES,
    confusion: confusionMatrix(TASK_TYPES, gold, predicted),
    complexityAccuracy:
      withComplexity.length === 0
        ? null
        : share(
            withComplexity.filter(({ row, p }) => row.complexity === p.complexity).length,
            withComplexity.length,
          ),
    multiPartRows: multi.length,
    partCountAccuracy: share(
      multi.filter(({ row, p }) => (row.parts?.length ?? 1) === Math.max(1, p.parts.length)).length,
      multi.length,
    ),
    typedPartF1Multi: multisetF1(
      multi.map(({ row }) => typesOf(row)),
      multi.map(({ p }) => predictedTypes(p)),
    ),
    typedPartF1All: multisetF1(rows.map(typesOf), predictions.map(predictedTypes)),
    splitPrecision,
    splitRecall,
    splitF1:
      splitPrecision + splitRecall === 0
        ? 0
        : (2 * splitPrecision * splitRecall) / (splitPrecision + splitRecall),
    overSplitSingle: share(single.filter(({ p }) => isSplit(p)).length, single.length),
    hardNegatives: hardNegatives.length,
    overSplitHardNegative: share(hardNegatives.filter(({ p }) => isSplit(p)).length, hardNegatives.length),
    nonEnglishAccuracy:
      nonEnglish.length === 0
        ? null
        : share(nonEnglish.filter(({ row, p }) => row.task === p.task).length, nonEnglish.length),
    byLanguage: groupAccuracy(indexed, ({ row }) => languageOf(row)),
    byStyle: groupAccuracy(indexed, ({ row }) => styleOf(row)),
  }
}

function groupAccuracy(
  indexed: Array<{ row: LabeledRow; p: Prediction }>,
  keyOf: (item: { row: LabeledRow; p: Prediction }) => string,
): Record<string, GroupScore> {
  const groups = new Map<string, { rows: number; correct: number }>()
  for (const item of indexed) {
    const key = keyOf(item)
    const group = groups.get(key) ?? { rows: 0, correct: 0 }
    group.rows++
    if (item.row.task === item.p.task) group.correct++
    groups.set(key, group)
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1].rows - a[1].rows || a[0].localeCompare(b[0]))
  return Object.fromEntries(sorted.map(([key, g]) => [key, { rows: g.rows, accuracy: g.correct / g.rows }]))
}
