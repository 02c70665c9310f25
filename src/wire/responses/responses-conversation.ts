import { type ConversationRef, refOf } from '../conversation-ref.js'
import type { ResponsesRequest } from './types.js'

/**
 * The conversation a Responses request names: prompt_cache_key (the Codex CLI sends its conversation id
 * there), user, then previous_response_id or conversation (an id or `{id}`), which stateless SmartSplit
 * refuses today but would name the conversation when stored responses exist.
 */
export function responsesConversation(req: ResponsesRequest): ConversationRef | null {
  const conversation = req.conversation
  const conversationId =
    typeof conversation === 'object' && conversation !== null
      ? (conversation as { id?: unknown }).id
      : conversation
  return (
    refOf(req.prompt_cache_key, 'prompt_cache_key') ??
    refOf(req.user, 'user') ??
    refOf(req.previous_response_id, 'previous_response_id') ??
    refOf(conversationId, 'conversation')
  )
}
