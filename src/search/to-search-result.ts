import { cleanSearchText } from './clean-search-text.js'
import type { SearchResult } from './types.js'

const MAX_TITLE_CHARS = 300
const MAX_SNIPPET_CHARS = 1_500
const MAX_URL_CHARS = 2_000
const MAX_DATE_CHARS = 60

/**
 * One raw hit → a SearchResult, or null when it cannot be cited: only absolute http(s) URLs are kept
 * (a `javascript:` or relative link in a result must never reach an answer's "Sources:" list).
 */
export function toSearchResult(fields: {
  title: string | null | undefined
  url: string | null | undefined
  snippet: string | null | undefined
  date?: string | null | undefined
}): SearchResult | null {
  const url = (fields.url ?? '').trim()
  if (url.length === 0 || url.length > MAX_URL_CHARS || /\s/.test(url)) return null
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null
  const title = cleanSearchText(fields.title ?? '', MAX_TITLE_CHARS) || parsed.hostname
  const snippet = cleanSearchText(fields.snippet ?? '', MAX_SNIPPET_CHARS)
  const date = cleanSearchText(fields.date ?? '', MAX_DATE_CHARS)
  return date.length > 0 ? { title, url, snippet, date } : { title, url, snippet }
}
