import { type ConversationRef, refOf } from '../conversation-ref.js'
import type { ChatRequest } from './types.js'

/** The conversation a chat request names: its prompt_cache_key (Codex, OpenAI SDK users), else its user. */
export function chatConversation(chat: ChatRequest): ConversationRef | null {
  return refOf(chat.prompt_cache_key, 'prompt_cache_key') ?? refOf(chat.user, 'user')
}
