import { contentText } from '../../wire/openai/content-text.js'
import type { ChatRequest } from '../../wire/openai/types.js'

/** The text of the last user turn: what the user is asking now. */
export function lastUserText(request: ChatRequest): string {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index]!
    if (message.role !== 'user') continue
    return contentText(message.content)
  }
  return ''
}
