import type { FinishReason } from '../openai/types.js'
import type { AnthropicStopReason } from './types.js'

/** OpenAI `finish_reason` → Anthropic `stop_reason`, for answers SmartSplit serves on /v1/messages. */
export function toAnthropicStopReason(finishReason: FinishReason | null): AnthropicStopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens'
    case 'tool_calls':
    case 'function_call':
      return 'tool_use'
    case 'content_filter':
      return 'refusal'
    case 'stop':
    case null:
      return 'end_turn'
  }
}
