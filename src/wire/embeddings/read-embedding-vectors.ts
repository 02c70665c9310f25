import { UpstreamError } from '../../errors.js'

function malformed(provider: string, what: string): UpstreamError {
  return new UpstreamError(`${provider} sent embeddings SmartSplit cannot read: ${what}`, {
    kind: 'malformed',
  })
}

/**
 * Checks what an upstream calls vectors: one per input, each a non-empty array of finite numbers, all of
 * one width. A vector of another width or a missing one would corrupt an index silently, so it fails
 * (and is retried) instead.
 */
export function readEmbeddingVectors(values: unknown, expected: number, provider: string): number[][] {
  if (!Array.isArray(values)) throw malformed(provider, 'no list of vectors')
  if (values.length !== expected) throw malformed(provider, `${values.length} vectors for ${expected} inputs`)
  let width: number | null = null
  for (const vector of values) {
    if (!Array.isArray(vector) || vector.length === 0)
      throw malformed(provider, 'a vector is not a list of numbers')
    for (const value of vector) {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw malformed(provider, 'a value is not a number')
    }
    if (width !== null && vector.length !== width) throw malformed(provider, 'vectors of different widths')
    width = vector.length
  }
  return values as number[][]
}
