import { randomBytes } from 'node:crypto'

/** Randomness as a dependency: ids and exploration draw from it so tests can seed it. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number
  /** A URL-safe random token of the given length. */
  token(length: number): string
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

// Ids are drawn from a pool refilled 4 KB at a time: one randomBytes call per ~170 ids, not per id.
const POOL_BYTES = 4096
let pool = randomBytes(POOL_BYTES)
let poolOffset = 0

function takeBytes(count: number): Buffer {
  if (count > POOL_BYTES) return randomBytes(count)
  if (poolOffset + count > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES)
    poolOffset = 0
  }
  const bytes = pool.subarray(poolOffset, poolOffset + count)
  poolOffset += count
  return bytes
}

export const systemRandom: Random = {
  next: () => Math.random(),
  token(length) {
    const bytes = takeBytes(length)
    let out = ''
    for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length]
    return out
  },
}

/** Deterministic generator (mulberry32) for tests and simulations. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    token(length) {
      let out = ''
      for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(next() * ALPHABET.length)]
      return out
    },
  }
}
