import type { Usage } from '../openai/types.js'
import type { AnthropicUsage } from './types.js'

/** OpenAI usage → Anthropic's, where `input_tokens` excludes the tokens read from the prompt cache. */
export function toAnthropicUsage(usage: Usage | null | undefined): AnthropicUsage {
  const cachedTokens = usage?.prompt_tokens_details?.cached_tokens ?? 0
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cachedTokens),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cachedTokens,
  }
}
