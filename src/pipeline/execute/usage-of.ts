import type { ChatRequest } from '../../wire/openai/types.js'
import type { AttemptRecord } from '../attempts.js'
import { countPromptTokens, countTextTokens, estimatePromptTokens } from '../count-prompt-tokens.js'
import type { StreamSummary } from './observe-chunks.js'

export type AttemptUsage = NonNullable<AttemptRecord['usage']>

/**
 * What one call consumed: the provider's usage when it reported one; otherwise the tokenizer's count for
 * an answer that completed, and the cheap estimate for one the client left or that broke (loading the
 * tokenizer costs ~65 MB, not worth it for a guess).
 */
export function usageOf(request: ChatRequest, summary: StreamSummary): AttemptUsage {
  const usage = summary.usage
  if (usage !== null) {
    const cached = usage.prompt_tokens_details?.cached_tokens ?? 0
    return {
      tokensIn: usage.prompt_tokens,
      tokensOut: usage.completion_tokens,
      cachedTokens: Math.min(cached, usage.prompt_tokens),
      estimated: false,
    }
  }
  const isComplete = summary.outcome === 'ok'
  return {
    tokensIn: isComplete ? countPromptTokens(request) : estimatePromptTokens(request),
    tokensOut: isComplete ? countTextTokens(summary.text) : Math.ceil(summary.text.length / 3.5),
    cachedTokens: 0,
    estimated: true,
  }
}
