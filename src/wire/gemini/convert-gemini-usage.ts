import type { Usage } from '../openai/types.js'
import { tokenCount } from '../token-count.js'
import type { GeminiUsage } from './gemini-response-schema.js'

/**
 * usageMetadata → OpenAI usage. Thinking tokens are billed as output, so they count as completion
 * tokens (and as reasoning_tokens); tool-use prompt tokens (search grounding) count as prompt. A figure
 * that is not a token count counts as missing.
 */
export function convertGeminiUsage(usage: GeminiUsage): Usage {
  const count = (value: number | null | undefined): number => tokenCount(value) ?? 0
  const prompt = count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount)
  const thoughts = count(usage.thoughtsTokenCount)
  const completion = count(usage.candidatesTokenCount) + thoughts
  const converted: Usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: tokenCount(usage.totalTokenCount) ?? prompt + completion,
  }
  if (typeof usage.cachedContentTokenCount === 'number') {
    converted.prompt_tokens_details = { cached_tokens: count(usage.cachedContentTokenCount) }
  }
  if (typeof usage.thoughtsTokenCount === 'number') {
    converted.completion_tokens_details = { reasoning_tokens: thoughts }
  }
  return converted
}
