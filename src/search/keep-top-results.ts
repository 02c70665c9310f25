import type { SearchResult } from './types.js'

/**
 * The results worth citing, in the API's order: usable ones only (null = a hit that cannot be cited),
 * one per URL (engines often return the same page twice, and two citations of one page help nobody), at
 * most `maxResults`.
 */
export function keepTopResults(
  candidates: Iterable<SearchResult | null>,
  maxResults: number,
): SearchResult[] {
  const seen = new Set<string>()
  const results: SearchResult[] = []
  for (const result of candidates) {
    if (result === null || seen.has(result.url)) continue
    seen.add(result.url)
    results.push(result)
    if (results.length >= maxResults) break
  }
  return results
}
