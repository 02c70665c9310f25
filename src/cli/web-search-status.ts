import type { SearchProviderConfig } from '../config/types.js'
import { SEARCH_KEY_ENV } from '../providers/catalog.js'

/** Which search providers the enrich route uses, or how to turn web search on. */
export function webSearchStatus(search: readonly SearchProviderConfig[]): string {
  if (search.length > 0) return search.map((provider) => provider.name).join(', ')
  const variables = Object.values(SEARCH_KEY_ENV)
  const listed = `${variables.slice(0, -1).join(', ')} or ${variables.at(-1)}`
  return `off: set ${listed}, or "providers": {"searxng": {"base_url": …}}`
}
