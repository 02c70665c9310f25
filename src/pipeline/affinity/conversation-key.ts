import { hash } from 'node:crypto'
import { contentText } from '../../wire/openai/content-text.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import type { ConversationRef } from '../types.js'

/** Enough of a long text to tell conversations apart, at a cost that does not grow with the text. */
const EDGE_CHARS = 2_048

function boundedText(text: string): string {
  if (text.length <= 2 * EDGE_CHARS) return text
  return `${text.slice(0, EDGE_CHARS)}\u0000${text.length}\u0000${text.slice(-EDGE_CHARS)}`
}

/**
 * The pin store's key for a conversation: its source and a hash of its identity. Identities come from
 * clients (headers, user ids, session ids) and may be long or personal; the key is short and reveals
 * neither, and two sources never share a key by accident.
 */
export function conversationKey(ref: ConversationRef): string {
  // The one-shot hash: a third of createHash's cost, and this runs on every request.
  const digest = hash('sha256', boundedText(ref.id), 'base64url').slice(0, 22)
  // join() copies into one flat string; a template literal would keep a concatenation of a slice of the
  // whole digest, ~100 bytes more for each of the up to 100 000 keys the pin store holds.
  return [ref.source, digest].join(':')
}

/**
 * A conversation that names itself nowhere is recognized by what stays the same from turn to turn: the
 * system prompt, the tools offered and the first user message. Long ones are read at both ends only
 * (with their length), so a 60 KB agent prompt costs what a short one does.
 */
export function fingerprintConversation(request: ChatRequest): ConversationRef {
  const system = request.messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map((message) => contentText(message.content, '\n'))
    .join('\n')
  const firstUser = request.messages.find((message) => message.role === 'user')
  const tools = (request.tools ?? []).map((tool) => tool.function?.name ?? tool.type).join(',')
  const user = firstUser === undefined ? '' : contentText(firstUser.content, '\n')
  return { id: [boundedText(system), tools, boundedText(user)].join('\u0001'), source: 'fingerprint' }
}
