import type { Usage } from '../openai/types.js'
import { tokenCount } from '../token-count.js'

export interface AnthropicUsageFigures {
  input_tokens?: number | null | undefined
  output_tokens?: number | null | undefined
  cache_creation_input_tokens?: number | null | undefined
  cache_read_input_tokens?: number | null | undefined
}

/**
 * Anthropic counts cached prompt tokens apart from `input_tokens`; OpenAI counts them inside
 * `prompt_tokens` and reports the cache hits as `cached_tokens`. Cache writes are prompt tokens too, and
 * reported as `cache_write_tokens` (the spec's CompletionUsage field) when there are any. A figure that
 * is not a token count counts as missing.
 */
export function convertAnthropicUsage(usage: AnthropicUsageFigures): Usage {
  const cacheReadTokens = tokenCount(usage.cache_read_input_tokens) ?? 0
  const cacheWriteTokens = tokenCount(usage.cache_creation_input_tokens) ?? 0
  const promptTokens = (tokenCount(usage.input_tokens) ?? 0) + cacheReadTokens + cacheWriteTokens
  const completionTokens = tokenCount(usage.output_tokens) ?? 0
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: {
      cached_tokens: cacheReadTokens,
      ...(cacheWriteTokens > 0 ? { cache_write_tokens: cacheWriteTokens } : {}),
    },
  }
}
