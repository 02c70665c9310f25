import type { Structure } from './read-structure.js'
import type { TextView } from './view-text.js'

/**
 * Features are hashed into 2^18 buckets: no vocabulary to ship, and room for the character n-grams
 * that let one model read many languages (int8 weights: 2 MB).
 */
export const FEATURE_BITS = 18
export const FEATURE_DIM = 1 << FEATURE_BITS

const MAX_INSTRUCTION_TOKENS = 220
const MAX_CONTEXT_TOKENS = 300
/** Words whose character n-grams are read: enough for an ask, bounded for a long paste. */
const MAX_CHAR_GRAM_TOKENS = 120
const MAX_CHAR_GRAM_WORD = 18
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’]\p{L}+)?/gu
const CJK_CHAR = /[\u3040-\u30ff\u3400-\u9fff]/

/** Pasted material informs the reading but must not outvote the ask: it shares a smaller budget. */
export const CONTEXT_WEIGHT = 0.5
/**
 * Character n-grams outnumber words fifteen to one; in a group of their own with a fixed budget they
 * help where words are unseen (other languages, inflections) without drowning the words.
 */
export const CHAR_GRAM_WEIGHT = 0.6

/** Sorted unique bucket indices of the instruction (with structure flags), its character n-grams and the pasted context. */
export interface FeatureSet {
  instruction: number[]
  grams: number[]
  context: number[]
}

/**
 * Hashed bag of features shared by training and inference: words, word pairs, word stems, character
 * 3- to 5-grams of words (morphology and cognates across languages: "traduis", "tradúcelo",
 * "übersetze"; Korean particles, Turkish suffixes, Hindi inflections) and CJK character 1- to
 * 3-grams of the instruction, single words of the pasted context, and structure flags.
 */
export function extractFeatures(view: TextView, structure: Structure): FeatureSet {
  const buckets = new Set<number>()
  const gramBuckets = new Set<number>()
  const contextBuckets = new Set<number>()
  const add = (feature: string): void => {
    buckets.add(hashFeature(feature))
  }

  const tokens = tokenize(view.instruction, MAX_INSTRUCTION_TOKENS)
  let previous = '^'
  tokens.forEach((token, index) => {
    if (CJK_CHAR.test(token)) {
      addCjk(token, add)
      previous = '#cjk'
      return
    }
    if (index < MAX_CHAR_GRAM_TOKENS) addCharGrams(token, gramBuckets)
    // The same buckets as hashing "w:<token>", "b:<previous>_<token>", "p:<head>" and "x:<tail>", without
    // building those strings: this runs for every word of every request.
    buckets.add(fold(fnv(WORD_SEED, token, 0, token.length)))
    buckets.add(
      fold(fnv(fnv(fnv(PAIR_SEED, previous, 0, previous.length), '_', 0, 1), token, 0, token.length)),
    )
    if (token.length >= 6) {
      buckets.add(fold(fnv(PREFIX_SEED, token, 0, 4)))
      buckets.add(fold(fnv(PREFIX_SEED, token, 0, 6)))
      buckets.add(fold(fnv(SUFFIX_SEED, token, token.length - 4, token.length)))
    }
    previous = token
  })
  if (tokens[0] !== undefined) add(`f:${tokens[0]}`)
  if (tokens[1] !== undefined) add(`f:${tokens[0]}_${tokens[1]}`)

  for (const token of tokenize(view.context, MAX_CONTEXT_TOKENS)) {
    if (!CJK_CHAR.test(token)) contextBuckets.add(fold(fnv(CONTEXT_SEED, token, 0, token.length)))
  }

  for (const flag of structureFlags(structure)) add(`s:${flag}`)
  return {
    instruction: [...buckets].sort((a, b) => a - b),
    grams: [...gramBuckets].sort((a, b) => a - b),
    context: [...contextBuckets].sort((a, b) => a - b),
  }
}

/** Value of one active feature in each group: each group's vector has a fixed norm. */
export function featureValues(features: FeatureSet): { instruction: number; grams: number; context: number } {
  return {
    instruction: 1 / Math.sqrt(Math.max(features.instruction.length, 1)),
    grams: CHAR_GRAM_WEIGHT / Math.sqrt(Math.max(features.grams.length, 1)),
    context: CONTEXT_WEIGHT / Math.sqrt(Math.max(features.context.length, 1)),
  }
}

function addCjk(run: string, add: (feature: string) => void): void {
  const chars = [...run]
  for (let i = 0; i < chars.length; i++) {
    add(`z:${chars[i]}`)
    if (i + 1 < chars.length) add(`z:${chars[i]}${chars[i + 1]}`)
    if (i + 2 < chars.length) add(`z:${chars[i]}${chars[i + 1]}${chars[i + 2]}`)
  }
}

const GRAM_SEED = hashSeed('g:')
const WORD_SEED = hashSeed('w:')
const PAIR_SEED = hashSeed('b:')
const PREFIX_SEED = hashSeed('p:')
const SUFFIX_SEED = hashSeed('x:')
const CONTEXT_SEED = hashSeed('c:')

/** Character 3-, 4- and 5-grams of a word marked at both ends ("<tra", "duis>"), hashed in place. */
function addCharGrams(token: string, buckets: Set<number>): void {
  const word = `<${token.length > MAX_CHAR_GRAM_WORD ? token.slice(0, MAX_CHAR_GRAM_WORD) : token}>`
  for (let n = 3; n <= 5; n++) {
    for (let start = 0; start + n <= word.length; start++) {
      buckets.add(hashRange(GRAM_SEED, word, start, start + n))
    }
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
  return hashRange(0x811c9dc5, feature, 0, feature.length)
}

/** FNV-1a state after a prefix, so features hash without building strings. */
function hashSeed(prefix: string): number {
  return fnv(0x811c9dc5, prefix, 0, prefix.length)
}

/** FNV-1a state after feeding `text[start, end)` to `state`: hashing is streaming, so parts chain. */
function fnv(state: number, text: string, start: number, end: number): number {
  let hash = state
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash
}

function fold(state: number): number {
  return (state >>> 0) & (FEATURE_DIM - 1)
}

function hashRange(seed: number, text: string, start: number, end: number): number {
  return fold(fnv(seed, text, start, end))
}
