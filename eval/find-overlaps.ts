/** A prompt of one split, for the overlap check. */
export interface SplitText {
  split: string
  id: string
  text: string
}

export interface Overlap {
  a: SplitText
  b: SplitText
  /** 1 for an exact (normalized) duplicate, else the 6-gram Jaccard similarity. */
  similarity: number
}

const SHINGLE = 6
export const NEAR_DUPLICATE_JACCARD = 0.5

/** Lowercased words; CJK and kana as single characters, so Chinese and Japanese get shingles too. */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[\p{L}\p{N}]+/gu) ?? []
}

/** Word 6-grams; a text shorter than that is one shingle of all its words. */
function shingles(text: string): Set<string> {
  const tokens = words(text)
  if (tokens.length <= SHINGLE) return new Set([tokens.join(' ')])
  const out = new Set<string>()
  for (let i = 0; i + SHINGLE <= tokens.length; i++) out.add(tokens.slice(i, i + SHINGLE).join(' '))
  return out
}

/**
 * Pairs of prompts from different splits that are the same text or near duplicates (6-gram Jaccard
 * ≥ 0.5). An inverted index of shingles keeps it near linear: only texts sharing a shingle are compared.
 */
export function findOverlaps(texts: readonly SplitText[]): Overlap[] {
  const sets = texts.map((t) => shingles(t.text))
  const index = new Map<string, number[]>()
  sets.forEach((set, i) => {
    for (const shingle of set) {
      const holders = index.get(shingle)
      if (holders === undefined) index.set(shingle, [i])
      else holders.push(i)
    }
  })
  const overlaps: Overlap[] = []
  sets.forEach((set, i) => {
    const shared = new Map<number, number>()
    for (const shingle of set) {
      for (const j of index.get(shingle) ?? []) {
        if (j > i && texts[j]!.split !== texts[i]!.split) shared.set(j, (shared.get(j) ?? 0) + 1)
      }
    }
    for (const [j, count] of shared) {
      const similarity = count / (set.size + sets[j]!.size - count)
      if (similarity >= NEAR_DUPLICATE_JACCARD) overlaps.push({ a: texts[i]!, b: texts[j]!, similarity })
    }
  })
  return overlaps
}
