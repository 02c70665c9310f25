/**
 * A token count as an upstream reported it, if it is one: a whole, non-negative, exactly representable
 * number. Anything else (-7, 2.5, 1e300) would reach the client's usage, which every dialect's spec types
 * as an integer, and the rate-limit and savings figures.
 */
export function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null
}
