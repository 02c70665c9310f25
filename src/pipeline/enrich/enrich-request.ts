import type { SearchProviderConfig } from '../../config/types.js'
import type { Clock } from '../../lib/clock.js'
import { buildEnrichedRequest } from '../../search/build-enriched-request.js'
import { buildNoResultsRequest } from '../../search/build-no-results-request.js'
import { buildSearchQuery } from '../../search/build-search-query.js'
import { searchWithFallback } from '../../search/search-with-fallback.js'
import type { SearchAdapter } from '../../search/types.js'
import type { ChatRequest } from '../../wire/openai/types.js'

export interface SearchDeps {
  providers: readonly SearchProviderConfig[]
  adapters: ReadonlyMap<string, SearchAdapter>
  timeoutMs: number
  clock: Clock
}

export interface Enriched {
  request: ChatRequest
  /** `searched` when results were added; `skipped` when no search provider is set up or all failed. */
  outcome: 'searched' | 'skipped'
  /** Why search was skipped, for logs. */
  reason: string | null
}

/**
 * ENRICH: search the web for the question first, then hand the model the results fenced as untrusted
 * data, with citations asked for. Search trouble never fails the request: without results the model is
 * told it has no fresh data and must say so.
 */
export async function enrichRequest(
  request: ChatRequest,
  question: string,
  deps: SearchDeps | undefined,
  signal: AbortSignal,
): Promise<Enriched> {
  const nowIso = new Date(deps?.clock.nowMs() ?? 0).toISOString()
  if (deps === undefined || deps.providers.length === 0) {
    return {
      request: deps === undefined ? request : buildNoResultsRequest(request, nowIso),
      outcome: 'skipped',
      reason: 'no search provider configured',
    }
  }
  const outcome = await searchWithFallback(
    deps.providers,
    deps.adapters,
    buildSearchQuery(question),
    signal,
    deps.timeoutMs,
  )
  if (outcome.provider === null) {
    return { request: buildNoResultsRequest(request, nowIso), outcome: 'skipped', reason: outcome.reason }
  }
  return {
    request: buildEnrichedRequest(request, outcome.results, nowIso),
    outcome: 'searched',
    reason: null,
  }
}
