// Trains the analyzer's task model: multinomial logistic regression on hashed features of
// eval/data/train.jsonl (the project's own prompts, never the eval set), then writes int8-quantized
// weights to src/pipeline/analyze/model-weights.ts. Deterministic: fixed order, no randomness.
//
//   npm run train:analyzer            train and write the weights
//   npm run train:analyzer -- --cv    also print a 5-fold cross-validated accuracy
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { extractFeatures, FEATURE_BITS, FEATURE_DIM } from '../src/pipeline/analyze/extract-features.js'
import { readStructure } from '../src/pipeline/analyze/read-structure.js'
import { TASK_TYPES, type TaskType } from '../src/pipeline/analyze/types.js'
import { viewText } from '../src/pipeline/analyze/view-text.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const TRAIN_FILE = join(ROOT, 'eval/data/train.jsonl')
const WEIGHTS_FILE = join(ROOT, 'src/pipeline/analyze/model-weights.ts')
const EPOCHS = Number(process.env.EPOCHS ?? 600)
const LEARNING_RATE = Number(process.env.LR ?? 1)
const L2 = Number(process.env.L2 ?? 1e-5)
const CLASSES = TASK_TYPES.length

const Row = z.object({ task: z.enum(TASK_TYPES), text: z.string().min(1) })

interface Example {
  features: number[]
  label: number
}

function loadExamples(): Example[] {
  const lines = readFileSync(TRAIN_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
  return lines.map((line) => {
    const row = Row.parse(JSON.parse(line))
    const view = viewText(row.text)
    return { features: extractFeatures(view, readStructure(view)), label: TASK_TYPES.indexOf(row.task) }
  })
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

  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const gradient = new Float64Array(FEATURE_DIM * CLASSES)
    const biasGradient = new Float64Array(CLASSES)
    for (const example of examples) {
      const probabilities = predict({ weights, bias }, example.features)
      const value = 1 / Math.sqrt(example.features.length)
      const weight = (classWeight[example.label] ?? 1) / examples.length
      for (let c = 0; c < CLASSES; c++) {
        const error = ((probabilities[c] ?? 0) - (c === example.label ? 1 : 0)) * weight
        biasGradient[c] = (biasGradient[c] ?? 0) + error
        for (const feature of example.features) gradient[feature * CLASSES + c]! += error * value
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

function predict(model: Model, features: number[]): Float64Array {
  const logits = Float64Array.from(model.bias)
  const value = 1 / Math.sqrt(Math.max(features.length, 1))
  for (const feature of features) {
    for (let c = 0; c < CLASSES; c++) logits[c]! += model.weights[feature * CLASSES + c]! * value
  }
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

/** Deterministic k-fold: example i goes to fold i mod k (the file is already shuffled). */
function crossValidate(examples: Example[], folds: number): void {
  let correct = 0
  const perClass = TASK_TYPES.map(() => ({ hit: 0, total: 0 }))
  for (let fold = 0; fold < folds; fold++) {
    const model = train(examples.filter((_, i) => i % folds !== fold))
    examples.forEach((example, i) => {
      if (i % folds !== fold) return
      const stats = perClass[example.label]!
      stats.total++
      if (argmax(predict(model, example.features)) === example.label) {
        correct++
        stats.hit++
      }
    })
  }
  console.log(`cv accuracy ${(correct / examples.length).toFixed(3)}`)
  TASK_TYPES.forEach((task: TaskType, c) => {
    const stats = perClass[c]!
    console.log(`  ${task.padEnd(12)} ${(stats.hit / Math.max(stats.total, 1)).toFixed(3)} (${stats.total})`)
  })
}

/** int8 per class with one scale each: about 175 KB of base64 instead of megabytes of floats. */
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
  const source = `// Generated by scripts/train-analyzer.ts from eval/data/train.jsonl (${exampleCount} prompts). Do not edit.
// Multinomial logistic regression over ${FEATURE_DIM} hashed features; weights are int8, feature-major,
// one scale per class, in TASK_TYPES order.
export const MODEL_WEIGHTS = {
  featureBits: ${FEATURE_BITS},
  classes: ${JSON.stringify(TASK_TYPES)},
  bias: ${JSON.stringify([...model.bias].map(round))},
  scales: ${JSON.stringify(scales.map(round))},
  weights:
    '${Buffer.from(quantized.buffer).toString('base64')}',
} as const
`
  writeFileSync(WEIGHTS_FILE, source)
  console.log(`wrote ${WEIGHTS_FILE} (${(source.length / 1024).toFixed(0)} KB)`)
}

const examples = loadExamples()
console.log(`${examples.length} training prompts`)
if (process.argv.includes('--cv')) crossValidate(examples, 5)
writeWeights(train(examples), examples.length)
