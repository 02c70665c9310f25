import type { ChatRequest } from '../wire/openai/types.js'

/**
 * Adds a system message after the request's leading system/developer messages: the client's own system
 * prompt stays first (it takes precedence), and the added one stays in the block every dialect and chat
 * template accepts (several reject a system message after a user turn).
 */
export function insertSystemMessage(request: ChatRequest, content: string): ChatRequest {
  const firstOther = request.messages.findIndex(
    (message) => message.role !== 'system' && message.role !== 'developer',
  )
  const at = firstOther < 0 ? request.messages.length : firstOther
  return {
    ...request,
    messages: [...request.messages.slice(0, at), { role: 'system', content }, ...request.messages.slice(at)],
  }
}
