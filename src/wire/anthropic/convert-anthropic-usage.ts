import type { Usage } from '../openai/types.js'

export interface AnthropicUsageFigures {
  input_tokens?: number | null | undefined
  output_tokens?: number | null | undefined
  cache_creation_input_tokens?: number | null | undefined
  cache_read_input_tokens?: number | null | undefined
}

/**
 * Anthropic counts cached prompt tokens apart from `input_tokens`; OpenAI counts them inside
 * `prompt_tokens` and reports the cache hits as `cached_tokens`. Cache writes are prompt tokens too, and
 * reported as `cache_write_tokens` (the spec's CompletionUsage field) when there are any.
 */
export function convertAnthropicUsage(usage: AnthropicUsageFigures): Usage {
  const cacheReadTokens = usage.cache_read_input_tokens ?? 0
  const cacheWriteTokens = usage.cache_creation_input_tokens ?? 0
  const promptTokens = (usage.input_tokens ?? 0) + cacheReadTokens + cacheWriteTokens
  const completionTokens = usage.output_tokens ?? 0
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
