import type { IncomingHttpHeaders } from 'node:http'
import type { ConversationRef } from '../pipeline/run.js'

/** Headers a client may name its conversation with; the first present wins. */
const SESSION_HEADERS = ['x-session-id', 'x-smartsplit-session'] as const

/**
 * The conversation a request belongs to: a session header first (any client can send one), else what
 * the request's own dialect names (prompt_cache_key, user, metadata.user_id…); null leaves it to the
 * pipeline, which recognizes the conversation by its system prompt, tools and first message.
 */
export function conversationOf(
  headers: IncomingHttpHeaders,
  fromBody: ConversationRef | null,
): ConversationRef | null {
  for (const name of SESSION_HEADERS) {
    const value = headers[name]
    const id = (Array.isArray(value) ? value[0] : value)?.trim()
    if (id !== undefined && id !== '') return { id, source: 'header' }
  }
  return fromBody
}
