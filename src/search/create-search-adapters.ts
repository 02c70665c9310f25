import type { Dispatcher } from 'undici'
import { createBraveAdapter } from './brave-adapter.js'
import { createSearxngAdapter } from './searxng-adapter.js'
import { createSerperAdapter } from './serper-adapter.js'
import { createTavilyAdapter } from './tavily-adapter.js'
import type { SearchAdapter } from './types.js'

/** Every search adapter by the provider name config uses (`SearchProviderConfig.name`). */
export function createSearchAdapters(dispatcher: Dispatcher): ReadonlyMap<string, SearchAdapter> {
  return new Map<string, SearchAdapter>([
    ['serper', createSerperAdapter(dispatcher)],
    ['tavily', createTavilyAdapter(dispatcher)],
    ['brave', createBraveAdapter(dispatcher)],
    ['searxng', createSearxngAdapter(dispatcher)],
  ])
}
