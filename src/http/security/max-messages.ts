import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../../errors.js'
import { sendRejection } from './send-rejection.js'

/** A request with more than `maxMessages` messages gets a 400 before any parsing or routing work. */
export function registerMaxMessages(app: FastifyInstance, maxMessages: number): void {
  app.addHook('preValidation', async (request, reply) => {
    const body = request.body
    if (typeof body !== 'object' || body === null || !('messages' in body)) return
    const { messages } = body as { messages: unknown }
    if (!Array.isArray(messages) || messages.length <= maxMessages) return
    const error = new InvalidRequestError(
      `'messages' has ${messages.length} items; SmartSplit accepts at most ${maxMessages} per request (server.max_messages).`,
      { param: 'messages', code: 'too_many_messages' },
    )
    return sendRejection(request, reply, error)
  })
}
