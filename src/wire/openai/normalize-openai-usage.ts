import { tokenCount } from '../token-count.js'
import type { Usage } from './types.js'

const isCount = (value: unknown): value is number => tokenCount(value) !== null

/**
 * An upstream's usage object, made canonical: the counts clients and the state layer read are
 * whole non-negative numbers (or the usage is dropped and estimated instead), and the prompt-cache hits are in
 * `prompt_tokens_details.cached_tokens` whichever way the provider reports them — DeepSeek says
 * `prompt_cache_hit_tokens` (and `prompt_cache_miss_tokens`), the others already say `cached_tokens`.
 */
export function normalizeOpenAIUsage(raw: Record<string, unknown>): Usage | null {
  const prompt = raw.prompt_tokens
  const completion = raw.completion_tokens
  if (!isCount(prompt) || !isCount(completion)) return null
  const usage = { ...raw, prompt_tokens: prompt, completion_tokens: completion } as Usage
  if (!isCount(raw.total_tokens)) usage.total_tokens = prompt + completion
  const details = usage.prompt_tokens_details
  const hasDetails = typeof details === 'object' && details !== null
  if (hasDetails && details.cached_tokens !== undefined && !isCount(details.cached_tokens)) {
    usage.prompt_tokens_details = { ...details, cached_tokens: 0 }
  }
  const hits = raw.prompt_cache_hit_tokens
  if (isCount(hits) && (!hasDetails || details.cached_tokens === undefined)) {
    usage.prompt_tokens_details = { ...(hasDetails ? details : {}), cached_tokens: Math.min(hits, prompt) }
  }
  return usage
}
