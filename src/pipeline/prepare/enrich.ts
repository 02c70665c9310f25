import { buildEnrichedRequest } from '../../search/build-enriched-request.js'
import { buildNoResultsRequest } from '../../search/build-no-results-request.js'
import { buildSearchQuery } from '../../search/build-search-query.js'
import type { Search } from '../ports.js'
import type { Enrichment } from '../types.js'

/**
 * ENRICH: search the web for the question first, then hand the model the results fenced as untrusted
 * data, with citations asked for. Search trouble never fails the request: without results the model is
 * told it has no fresh data and must say so.
 */
export async function enrich(
  question: string,
  search: Search,
  nowMs: number,
  signal: AbortSignal,
): Promise<Enrichment> {
  const nowIso = new Date(nowMs).toISOString()
  const findings = await search.find(buildSearchQuery(question), signal)
  if (findings.provider === null) {
    return {
      apply: (request) => buildNoResultsRequest(request, nowIso),
      outcome: 'skipped',
      reason: findings.reason ?? null,
    }
  }
  const { results } = findings
  return {
    apply: (request) => buildEnrichedRequest(request, results, nowIso),
    outcome: 'searched',
    reason: null,
  }
}
