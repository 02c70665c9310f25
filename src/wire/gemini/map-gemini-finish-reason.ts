import type { FinishReason } from '../openai/types.js'

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII'])

/**
 * Gemini finishReason → OpenAI finish_reason. A function call ends with STOP, so `hasToolCalls` (did the
 * candidate produce functionCall parts?) decides between `stop` and `tool_calls`.
 */
export function mapGeminiFinishReason(
  reason: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length'
  if (reason !== null && reason !== undefined && (FILTERED.has(reason) || reason.startsWith('IMAGE_'))) {
    return 'content_filter'
  }
  return hasToolCalls ? 'tool_calls' : 'stop'
}
