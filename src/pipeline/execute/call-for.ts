import type { Clock } from '../../lib/clock.js'
import type { UpstreamCall } from '../../providers/types.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import type { Candidate } from '../route/types.js'

/** The one upstream call for a candidate: the request with the provider's configured defaults filled in. */
export function callFor(
  candidate: Candidate,
  request: ChatRequest,
  deps: { clock: Clock; timeouts: UpstreamCall['timeouts'] },
): UpstreamCall {
  const { provider } = candidate
  const nowMs = deps.clock.nowMs()
  const withDefaults: ChatRequest = { ...request }
  if (provider.temperature !== null && request.temperature == null)
    withDefaults.temperature = provider.temperature
  if (provider.maxTokens !== null && request.max_tokens == null && request.max_completion_tokens == null) {
    withDefaults.max_tokens = provider.maxTokens
  }
  return {
    provider: provider.name,
    baseUrl: provider.baseUrl,
    apiKey: candidate.apiKey,
    model: candidate.model,
    request: withDefaults,
    quirks: provider.quirks,
    extraHeaders: provider.extraHeaders,
    timeouts: deps.timeouts,
    nowMs,
    created: Math.floor(nowMs / 1000),
  }
}

/** Which of its provider's keys a candidate uses (0 for keyless local providers). */
export function keyIndexOf(candidate: Candidate): number {
  return candidate.apiKey === null ? 0 : candidate.provider.apiKeys.indexOf(candidate.apiKey)
}
