import type { Usage } from '../openai/types.js'
import type { AnthropicUsage } from './types.js'

/** OpenAI usage → Anthropic's, where `input_tokens` excludes the tokens read from or written to the cache. */
export function toAnthropicUsage(usage: Usage | null | undefined): AnthropicUsage {
  const cachedTokens = usage?.prompt_tokens_details?.cached_tokens ?? 0
  const writtenTokens = usage?.prompt_tokens_details?.cache_write_tokens ?? 0
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cachedTokens - writtenTokens),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: writtenTokens,
    cache_read_input_tokens: cachedTokens,
  }
}
