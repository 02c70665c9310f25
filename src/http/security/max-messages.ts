import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../../errors.js'
import { sendRejection } from './send-rejection.js'

/**
 * The field holding the conversation: Responses sends it as `input`, chat and Anthropic as `messages`.
 * Read from the route that matched, not the raw URL (`/v1//responses` reaches the same route).
 */
function conversationField(route: string | undefined): 'input' | 'messages' {
  return route === '/v1/responses' ? 'input' : 'messages'
}

/** A request with more than `maxMessages` messages (or input items) gets a 400 before any parsing or routing work. */
export function registerMaxMessages(app: FastifyInstance, maxMessages: number): void {
  app.addHook('preValidation', async (request, reply) => {
    const body = request.body
    const field = conversationField(request.routeOptions.url)
    if (typeof body !== 'object' || body === null || !Object.hasOwn(body, field)) return
    const items = (body as Record<string, unknown>)[field]
    if (!Array.isArray(items) || items.length <= maxMessages) return
    const error = new InvalidRequestError(
      `'${field}' has ${items.length} items; SmartSplit accepts at most ${maxMessages} per request (server.max_messages).`,
      { param: field, code: 'too_many_messages' },
    )
    return sendRejection(request, reply, error)
  })
}
