import type { FinishReason } from '../openai/types.js'

/**
 * Anthropic `stop_reason` → OpenAI `finish_reason` (wire-formats.md §2.5). Takes a plain string because
 * Anthropic may add reasons under its versioning policy; an unknown one reads as a normal stop.
 */
export function mapAnthropicStopReason(stopReason: string | null | undefined): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool_calls'
    case 'refusal':
      return 'content_filter'
    default:
      // end_turn, stop_sequence, and pause_turn (a server tool paused a long turn; the text so far is final)
      return 'stop'
  }
}
