import type { SearchProviderConfig } from '../config/types.js'
import { UpstreamError, type UpstreamFailureKind } from '../errors.js'
import { stoppedBy } from '../lib/abort.js'
import type { SearchAdapter, SearchAttempt, SearchOutcome } from './types.js'

// Failures tied to one key: another key of the same provider may work. Anything else (timeout, 5xx,
// malformed, bad request) would fail the same way with every key, so the next provider is tried.
const KEY_FAILURES: ReadonlySet<UpstreamFailureKind> = new Set(['auth', 'rate_limit', 'quota', 'billing'])

function toAttempt(provider: string, keyIndex: number, error: unknown): SearchAttempt {
  if (error instanceof UpstreamError) {
    return {
      provider,
      keyIndex,
      outcome: error.kind,
      upstreamStatus: error.upstreamStatus,
      message: error.message,
    }
  }
  // An adapter bug must not cost the answer either: record it and go on without search.
  const message = error instanceof Error ? error.message : String(error)
  return { provider, keyIndex, outcome: 'malformed', upstreamStatus: null, message }
}

/**
 * Tries the configured search providers in order, each of their keys in turn, and returns the first
 * non-empty results. Never throws for an upstream failure: the caller answers without search
 * (`x-smartsplit-enrich: skipped`) and `attempts` says why. Throws only when `signal`
 * aborts (the client left). `timeoutMs` bounds each call; `signal` bounds the whole search.
 */
export async function searchWithFallback(
  providers: readonly SearchProviderConfig[],
  adapters: ReadonlyMap<string, SearchAdapter>,
  query: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<SearchOutcome> {
  const attempts: SearchAttempt[] = []
  if (query.trim().length === 0) return { results: [], provider: null, reason: 'empty_query', attempts }
  if (providers.length === 0) return { results: [], provider: null, reason: 'not_configured', attempts }
  for (const provider of providers) {
    const adapter = adapters.get(provider.name)
    if (adapter === undefined) {
      attempts.push(toAttempt(provider.name, 0, new Error(`no search adapter for "${provider.name}"`)))
      continue
    }
    const keys: (string | null)[] = provider.apiKeys.length > 0 ? provider.apiKeys : [null]
    for (const [keyIndex, apiKey] of keys.entries()) {
      if (signal.aborted) throw stoppedBy(signal)
      try {
        const options = { maxResults: provider.maxResults, apiKey, baseUrl: provider.baseUrl, timeoutMs }
        const results = await adapter.search(query, options, signal)
        if (results.length > 0) return { results, provider: provider.name, attempts }
        // Another key of the same engine would find the same nothing; another engine may not.
        attempts.push({
          provider: provider.name,
          keyIndex,
          outcome: 'empty',
          upstreamStatus: null,
          message: 'no results',
        })
        break
      } catch (error) {
        if (signal.aborted) throw stoppedBy(signal)
        const attempt = toAttempt(provider.name, keyIndex, error)
        attempts.push(attempt)
        if (attempt.outcome === 'empty' || !KEY_FAILURES.has(attempt.outcome)) break
      }
    }
  }
  const isOnlyEmpty = attempts.length > 0 && attempts.every((attempt) => attempt.outcome === 'empty')
  return { results: [], provider: null, reason: isOnlyEmpty ? 'no_results' : 'failed', attempts }
}
