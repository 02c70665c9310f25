import type { ChatRequest } from '../../wire/openai/types.js'
import type { RoutePlan } from '../types.js'

/**
 * A conversation's requests carry its key as OpenAI's prompt_cache_key unless the client chose one:
 * providers that accept it (OpenAI, Mistral) route them to the same cache; the others never see it.
 * The key is a hash, so nothing the client sent (a user id, a session header) leaves with it.
 */
export function withPromptCacheKey(request: ChatRequest, plan: RoutePlan): ChatRequest {
  if (plan.affinity === null || typeof request.prompt_cache_key === 'string') return request
  return { ...request, prompt_cache_key: plan.affinity.key }
}
