// Trains the analyzer's task model: multinomial logistic regression on hashed features of
// eval/data/train.jsonl (the project's own prompts) and eval/data/external/*.jsonl (public prompts
// prepared locally, see scripts/import-public-prompts.ts), never an eval split, then writes
// int8-quantized weights to src/pipeline/analyze/model-weights.json. Deterministic: fixed order.
//
//   npm run train:analyzer            train and write the weights
//   npm run train:analyzer -- --cv    also print 5-fold cross-validated scores, model alone and with
//                                     the rules of score-with-rules.ts on top (what the analyzer runs)
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readJsonl, TrainingRow, trainingFiles } from '../eval/labeled-rows.js'
import {
  extractFeatures,
  FEATURE_BITS,
  FEATURE_DIM,
  type FeatureSet,
  featureValues,
} from '../src/pipeline/analyze/extract-features.js'
import { readStructure } from '../src/pipeline/analyze/read-structure.js'
import { scoreWithRules } from '../src/pipeline/analyze/score-with-rules.js'
import { TASK_TYPES, type TaskType } from '../src/pipeline/analyze/types.js'
import { viewText } from '../src/pipeline/analyze/view-text.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const TRAIN_FILES = trainingFiles(join(ROOT, 'eval/data'))
const WEIGHTS_FILE = join(ROOT, 'src/pipeline/analyze/model-weights.json')
const EPOCHS = Number(process.env.EPOCHS ?? 600)
const LEARNING_RATE = Number(process.env.LR ?? 1)
const L2 = Number(process.env.L2 ?? 1e-6)
const CLASSES = TASK_TYPES.length

interface Example {
  features: FeatureSet
  /** Logit adjustments of the rules, for the cross-validated score of the whole classifier. */
  ruleBoosts: Float64Array
  label: number
}

function loadExamples(): Example[] {
  const rows = TRAIN_FILES.flatMap((file) => readJsonl(file, TrainingRow))
  // Interleave the files' rows so the k-fold split of --cv sees every source in every fold.
  rows.sort((a, b) => orderKey(a.text) - orderKey(b.text))
  return rows.map((row) => {
    const view = viewText(row.text)
    const structure = readStructure(view)
    return {
      features: extractFeatures(view, structure),
      ruleBoosts: scoreWithRules(view, structure, { isCodingAgent: false, systemHint: null }).boosts,
      label: TASK_TYPES.indexOf(row.task),
    }
  })
}

function orderKey(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0)
}

interface Model {
  weights: Float64Array
  bias: Float64Array
}

/** Full-batch gradient descent with Adagrad steps; classes weighted to count equally. */
function train(examples: Example[]): Model {
  const weights = new Float64Array(FEATURE_DIM * CLASSES)
  const bias = new Float64Array(CLASSES)
  const weightSq = new Float64Array(FEATURE_DIM * CLASSES).fill(1e-8)
  const biasSq = new Float64Array(CLASSES).fill(1e-8)
  const counts = new Array<number>(CLASSES).fill(0)
  for (const example of examples) counts[example.label] = (counts[example.label] ?? 0) + 1
  const balance = Number(process.env.BALANCE ?? 1)
  const classWeight = counts.map((count) => (examples.length / (CLASSES * Math.max(count, 1))) ** balance)

  const gradient = new Float64Array(FEATURE_DIM * CLASSES)
  const biasGradient = new Float64Array(CLASSES)
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    gradient.fill(0)
    biasGradient.fill(0)
    for (const example of examples) {
      const probabilities = predict({ weights, bias }, example.features)
      const values = featureValues(example.features)
      const weight = (classWeight[example.label] ?? 1) / examples.length
      for (let c = 0; c < CLASSES; c++) {
        const error = ((probabilities[c] ?? 0) - (c === example.label ? 1 : 0)) * weight
        biasGradient[c] = (biasGradient[c] ?? 0) + error
        for (const feature of example.features.instruction) {
          gradient[feature * CLASSES + c]! += error * values.instruction
        }
        for (const feature of example.features.grams) gradient[feature * CLASSES + c]! += error * values.grams
        for (const feature of example.features.context)
          gradient[feature * CLASSES + c]! += error * values.context
      }
    }
    for (let i = 0; i < weights.length; i++) {
      const g = gradient[i]! + L2 * weights[i]!
      if (g === 0) continue
      weightSq[i]! += g * g
      weights[i]! -= (LEARNING_RATE * g) / Math.sqrt(weightSq[i]!)
    }
    for (let c = 0; c < CLASSES; c++) {
      const g = biasGradient[c]!
      biasSq[c]! += g * g
      bias[c]! -= (LEARNING_RATE * g) / Math.sqrt(biasSq[c]!)
    }
  }
  return { weights, bias }
}

function predict(model: Model, features: FeatureSet, boosts?: Float64Array): Float64Array {
  const logits = Float64Array.from(model.bias)
  const values = featureValues(features)
  for (const [buckets, value] of [
    [features.instruction, values.instruction],
    [features.grams, values.grams],
    [features.context, values.context],
  ] as const) {
    for (const feature of buckets) {
      for (let c = 0; c < CLASSES; c++) logits[c]! += model.weights[feature * CLASSES + c]! * value
    }
  }
  if (boosts !== undefined) for (let c = 0; c < CLASSES; c++) logits[c]! += boosts[c]!
  const max = Math.max(...logits)
  let sum = 0
  for (let c = 0; c < CLASSES; c++) {
    logits[c] = Math.exp(logits[c]! - max)
    sum += logits[c]!
  }
  for (let c = 0; c < CLASSES; c++) logits[c]! /= sum
  return logits
}

function argmax(values: Float64Array): number {
  let best = 0
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i
  return best
}

/** Deterministic k-fold: example i goes to fold i mod k (rows are in hash order). */
function crossValidate(examples: Example[], folds: number): void {
  const gold: number[] = []
  const byModel: number[] = []
  const withRules: number[] = []
  for (let fold = 0; fold < folds; fold++) {
    const model = train(examples.filter((_, i) => i % folds !== fold))
    examples.forEach((example, i) => {
      if (i % folds !== fold) return
      gold.push(example.label)
      byModel.push(argmax(predict(model, example.features)))
      withRules.push(argmax(predict(model, example.features, example.ruleBoosts)))
    })
  }
  for (const [name, predicted] of [
    ['model', byModel],
    ['model + rules', withRules],
  ] as const) {
    const f1 = TASK_TYPES.map((_, c) => classF1(gold, predicted, c))
    const correct = gold.filter((label, i) => predicted[i] === label).length
    const macro = f1.reduce((sum, x) => sum + x, 0) / CLASSES
    console.log(`cv ${name}: accuracy ${(correct / gold.length).toFixed(3)}, macro-F1 ${macro.toFixed(3)}`)
    console.log(`  ${TASK_TYPES.map((task: TaskType, c) => `${task} ${f1[c]!.toFixed(2)}`).join(', ')}`)
  }
}

function classF1(gold: number[], predicted: number[], c: number): number {
  let tp = 0
  let fp = 0
  let fn = 0
  gold.forEach((label, i) => {
    if (predicted[i] === c && label === c) tp++
    else if (predicted[i] === c) fp++
    else if (label === c) fn++
  })
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)
}

/** int8 per class with one scale each: 2 MB of weights as base64, not 8 MB of floats. */
function writeWeights(model: Model, exampleCount: number): void {
  const scales = TASK_TYPES.map((_, c) => {
    let max = 0
    for (let f = 0; f < FEATURE_DIM; f++) max = Math.max(max, Math.abs(model.weights[f * CLASSES + c]!))
    return max / 127 || 1
  })
  const quantized = new Int8Array(FEATURE_DIM * CLASSES)
  for (let i = 0; i < quantized.length; i++) {
    quantized[i] = Math.round(model.weights[i]! / scales[i % CLASSES]!)
  }
  const round = (x: number): number => Number(x.toPrecision(6))
  const sources = TRAIN_FILES.map((file) => file.replace(`${ROOT}/`, '')).join(', ')
  // JSON, not a TypeScript module: the analyzer reads it on first use and keeps only the decoded bytes,
  // where a module's 2.7 MB of base64 would stay in the heap twice (its source and the string).
  const source = `{
  "note": ${JSON.stringify(`Generated by scripts/train-analyzer.ts from ${sources} (${exampleCount} prompts). Do not edit. Multinomial logistic regression over ${FEATURE_DIM} hashed features; weights are int8 in base64, feature-major, one scale per class, in TASK_TYPES order.`)},
  "featureBits": ${FEATURE_BITS},
  "classes": ${JSON.stringify(TASK_TYPES)},
  "bias": ${JSON.stringify([...model.bias].map(round))},
  "scales": ${JSON.stringify(scales.map(round))},
  "weights": "${Buffer.from(quantized.buffer).toString('base64')}"
}
`
  writeFileSync(WEIGHTS_FILE, source)
  console.log(`wrote ${WEIGHTS_FILE} (${(source.length / 1024).toFixed(0)} KB)`)
}

const examples = loadExamples()
console.log(`${examples.length} training prompts`)
if (process.argv.includes('--cv')) crossValidate(examples, 5)
writeWeights(train(examples), examples.length)
