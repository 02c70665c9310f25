import { readFileSync } from 'node:fs'
import { FEATURE_BITS, type FeatureSet, featureValues } from './extract-features.js'
// Types only; the import also makes tsc copy the JSON beside the built module, where model() reads it.
import type ModelWeights from './model-weights.json'
import { TASK_TYPES } from './types.js'

const CLASSES = TASK_TYPES.length

interface DecodedModel {
  /** int8, feature-major; multiplied by the class scale when read, so memory stays at 2 MB. */
  weights: Int8Array
  scales: Float64Array
  bias: Float64Array
}

let decoded: DecodedModel | undefined

/**
 * Reads and decodes the weights once, on first use. Only the 2 MB of decoded bytes stay: imported as a
 * module, the 2.7 MB of base64 would be held from startup on, twice (the module's source and the string).
 */
function model(): DecodedModel {
  if (decoded !== undefined) return decoded
  const file = JSON.parse(
    readFileSync(new URL('./model-weights.json', import.meta.url), 'utf8'),
  ) as typeof ModelWeights
  if (file.featureBits !== FEATURE_BITS || file.classes.join() !== TASK_TYPES.join()) {
    throw new Error('model-weights.json is stale: run npm run train:analyzer')
  }
  const bytes = Buffer.from(file.weights, 'base64')
  decoded = {
    weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    scales: Float64Array.from(file.scales),
    bias: Float64Array.from(file.bias),
  }
  return decoded
}

/** Raw class scores (logits) in TASK_TYPES order. */
export function scoreWithModel(features: FeatureSet): Float64Array {
  const { weights, scales, bias } = model()
  const sums = new Float64Array(CLASSES)
  const values = featureValues(features)
  addScores(sums, weights, features.instruction, values.instruction)
  addScores(sums, weights, features.grams, values.grams)
  addScores(sums, weights, features.context, values.context)
  const logits = Float64Array.from(bias)
  for (let c = 0; c < CLASSES; c++) logits[c]! += sums[c]! * scales[c]!
  return logits
}

function addScores(sums: Float64Array, weights: Int8Array, buckets: readonly number[], value: number): void {
  for (const feature of buckets) {
    const offset = feature * CLASSES
    for (let c = 0; c < CLASSES; c++) sums[c]! += weights[offset + c]! * value
  }
}

/** Softmax of logits, in place order. */
export function toProbabilities(logits: Float64Array): Float64Array {
  const max = Math.max(...logits)
  const out = new Float64Array(logits.length)
  let sum = 0
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i]! - max)
    sum += out[i]!
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum
  return out
}
