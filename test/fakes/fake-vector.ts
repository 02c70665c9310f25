import { createHash } from 'node:crypto'

/**
 * A deterministic unit vector for a text: the same text always embeds the same way in one fake, and
 * different texts differently, so tests can check that each input got its own vector, in order.
 */
export function fakeVector(text: string, dimensions: number): number[] {
  const seed = createHash('sha256').update(text).digest()
  const values = Array.from({ length: dimensions }, (_, i) => ((seed[i % seed.length]! + i) % 251) / 125 - 1)
  const norm = Math.hypot(...values) || 1
  return values.map((value) => Math.fround(value / norm))
}
