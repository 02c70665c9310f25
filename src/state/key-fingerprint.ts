import { createHash } from 'node:crypto'

/**
 * A short SHA-256 prefix of a key: saved counters follow the key when the config reorders its keys,
 * without the key itself ever being written down. Null for a provider without a key at that index.
 */
export function keyFingerprint(apiKeys: readonly string[], keyIndex: number): string | null {
  const key = apiKeys[keyIndex]
  return key === undefined ? null : createHash('sha256').update(key).digest('hex').slice(0, 12)
}
