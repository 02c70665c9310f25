import { type ConversationRef, refOf } from '../conversation-ref.js'
import type { AnthropicMessagesRequest } from './types.js'

/** Claude Code's metadata.user_id names the account and the session ("user_…_account_…_session_…"). */
export function anthropicConversation(req: AnthropicMessagesRequest): ConversationRef | null {
  return refOf(req.metadata?.user_id, 'metadata.user_id')
}
