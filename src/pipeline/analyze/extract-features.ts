import type { Structure } from './read-structure.js'
import type { TextView } from './view-text.js'

/** Features are hashed into 2^14 buckets: small weights, no vocabulary to ship. */
export const FEATURE_BITS = 14
export const FEATURE_DIM = 1 << FEATURE_BITS

const MAX_INSTRUCTION_TOKENS = 220
const MAX_CONTEXT_TOKENS = 300
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’]\p{L}+)?/gu
const CJK_CHAR = /[\u3040-\u30ff\u3400-\u9fff]/

/** Pasted material informs the reading but must not outvote the ask: it shares a smaller budget. */
export const CONTEXT_WEIGHT = 0.5

/** Sorted unique bucket indices of the instruction (with structure flags) and of the pasted context. */
export interface FeatureSet {
  instruction: number[]
  context: number[]
}

/**
 * Hashed bag of features shared by training and inference: words, word pairs, word stems and
 * CJK character pairs of the instruction, single words of the pasted context, and structure flags.
 */
export function extractFeatures(view: TextView, structure: Structure): FeatureSet {
  const buckets = new Set<number>()
  const contextBuckets = new Set<number>()
  const add = (feature: string): void => {
    buckets.add(hashFeature(feature))
  }

  const tokens = tokenize(view.instruction, MAX_INSTRUCTION_TOKENS)
  let previous = '^'
  for (const token of tokens) {
    if (CJK_CHAR.test(token)) {
      addCjk(token, add)
      previous = '#cjk'
      continue
    }
    add(`w:${token}`)
    add(`b:${previous}_${token}`)
    if (token.length >= 6) {
      add(`p:${token.slice(0, 4)}`)
      add(`p:${token.slice(0, 6)}`)
      add(`x:${token.slice(-4)}`)
    }
    previous = token
  }
  if (tokens[0] !== undefined) add(`f:${tokens[0]}`)
  if (tokens[1] !== undefined) add(`f:${tokens[0]}_${tokens[1]}`)

  for (const token of tokenize(view.context, MAX_CONTEXT_TOKENS)) {
    if (!CJK_CHAR.test(token)) contextBuckets.add(hashFeature(`c:${token}`))
  }

  for (const flag of structureFlags(structure)) add(`s:${flag}`)
  return {
    instruction: [...buckets].sort((a, b) => a - b),
    context: [...contextBuckets].sort((a, b) => a - b),
  }
}

/** Value of one active feature in each group: each group's vector has a fixed norm. */
export function featureValues(features: FeatureSet): { instruction: number; context: number } {
  return {
    instruction: 1 / Math.sqrt(Math.max(features.instruction.length, 1)),
    context: CONTEXT_WEIGHT / Math.sqrt(Math.max(features.context.length, 1)),
  }
}

function addCjk(run: string, add: (feature: string) => void): void {
  const chars = [...run]
  for (let i = 0; i < chars.length; i++) {
    add(`z:${chars[i]}`)
    if (i + 1 < chars.length) add(`z:${chars[i]}${chars[i + 1]}`)
  }
}

export function tokenize(text: string, maxTokens: number): string[] {
  const tokens: string[] = []
  TOKEN.lastIndex = 0
  for (let match = TOKEN.exec(text); match !== null; match = TOKEN.exec(text)) {
    tokens.push(normalizeToken(match[0].toLowerCase()))
    if (tokens.length >= maxTokens) break
  }
  TOKEN.lastIndex = 0
  return tokens
}

/** Numbers become shape tokens so the model learns "a recent year", not "2025". */
function normalizeToken(token: string): string {
  if (!/^\d/.test(token)) return token
  if (/^20[2-3]\d$/.test(token)) return '#year-recent'
  if (/^1[0-9]\d\d$/.test(token) || /^20[01]\d$/.test(token)) return '#year-past'
  return /^\d+$/.test(token) ? '#num' : '#alnum'
}

function structureFlags(structure: Structure): string[] {
  const flags: string[] = [`len${structure.lengthBucket}`]
  if (structure.hasFence) flags.push('fence')
  if (structure.hasCodeLines) flags.push('codelines')
  if (structure.hasStackTrace) flags.push('trace')
  if (structure.hasFilePath) flags.push('path')
  if (structure.hasDiff) flags.push('diff')
  if (structure.hasI18nResource) flags.push('i18n')
  if (structure.hasMathNotation) flags.push('math')
  if (structure.hasManyNumbers) flags.push('numbers')
  if (structure.hasCjk) flags.push('cjk')
  if (structure.hasListItems) flags.push('list')
  return flags
}

/** FNV-1a, 32 bit, folded into the feature space. */
export function hashFeature(feature: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < feature.length; i++) {
    hash ^= feature.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) & (FEATURE_DIM - 1)
}
