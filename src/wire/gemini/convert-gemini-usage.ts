import type { Usage } from '../openai/types.js'
import type { GeminiUsage } from './gemini-response-schema.js'

/**
 * usageMetadata → OpenAI usage. Thinking tokens are billed as output, so they count as completion
 * tokens (and as reasoning_tokens); tool-use prompt tokens (search grounding) count as prompt.
 */
export function convertGeminiUsage(usage: GeminiUsage): Usage {
  const prompt = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0)
  const thoughts = usage.thoughtsTokenCount ?? 0
  const completion = (usage.candidatesTokenCount ?? 0) + thoughts
  const converted: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage.totalTokenCount ?? prompt + completion,
  }
  if (typeof usage.cachedContentTokenCount === 'number') {
    converted.prompt_tokens_details = { cached_tokens: usage.cachedContentTokenCount }
  }
  if (typeof usage.thoughtsTokenCount === 'number') {
    converted.completion_tokens_details = { reasoning_tokens: thoughts }
  }
  return converted
}
