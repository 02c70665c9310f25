import { FEATURE_BITS, type FeatureSet, featureValues } from './extract-features.js'
import { MODEL_WEIGHTS } from './model-weights.js'
import { TASK_TYPES } from './types.js'

const CLASSES = TASK_TYPES.length

interface DecodedModel {
  weights: Float32Array
  bias: Float64Array
}

let decoded: DecodedModel | undefined

/** Decodes the int8 weights once, on first use; the module stays side-effect free at import. */
function model(): DecodedModel {
  if (decoded !== undefined) return decoded
  if (MODEL_WEIGHTS.featureBits !== FEATURE_BITS) {
    throw new Error('model-weights.ts is stale: run npm run train:analyzer')
  }
  const bytes = Buffer.from(MODEL_WEIGHTS.weights, 'base64')
  const quantized = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const weights = new Float32Array(quantized.length)
  for (let i = 0; i < quantized.length; i++) weights[i] = quantized[i]! * MODEL_WEIGHTS.scales[i % CLASSES]!
  decoded = { weights, bias: Float64Array.from(MODEL_WEIGHTS.bias) }
  return decoded
}

/** Raw class scores (logits) in TASK_TYPES order. */
export function scoreWithModel(features: FeatureSet): Float64Array {
  const { weights, bias } = model()
  const logits = Float64Array.from(bias)
  const values = featureValues(features)
  addScores(logits, weights, features.instruction, values.instruction)
  addScores(logits, weights, features.context, values.context)
  return logits
}

function addScores(
  logits: Float64Array,
  weights: Float32Array,
  buckets: readonly number[],
  value: number,
): void {
  for (const feature of buckets) {
    const offset = feature * CLASSES
    for (let c = 0; c < CLASSES; c++) logits[c]! += weights[offset + c]! * value
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
