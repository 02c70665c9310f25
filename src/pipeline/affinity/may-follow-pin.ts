import type { ChatRequest } from '../../wire/openai/types.js'
import type { ConversationRef } from '../types.js'

/** Roles that only a turn already answered brings: the assistant's, and the results of its calls. */
const ANSWERED_ROLES: ReadonlySet<string> = new Set(['assistant', 'tool', 'function'])

/**
 * Whether this request can continue a pinned conversation, known before the pin is read (on shared
 * state that read is a Redis round trip). A conversation recognized by its fingerprint (system prompt,
 * tools, first message) whose request holds no answered turn is a first turn: nothing was answered in
 * it yet, so there is nothing to stay with, and it starts the pin its later turns follow (they share its
 * fingerprint). A conversation the client names (a header, a session or user field, a previous
 * response) may go on with no answered turn in the request, its history kept elsewhere: its pin is read.
 */
export function mayFollowPin(request: ChatRequest, ref: ConversationRef): boolean {
  if (ref.source !== 'fingerprint') return true
  return request.messages.some((message) => ANSWERED_ROLES.has(message.role))
}
