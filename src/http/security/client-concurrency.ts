import type { FastifyInstance } from 'fastify'
import { SmartSplitError } from '../../errors.js'
import { sendRejection } from './send-rejection.js'

/**
 * At most `maxPerClient` requests in flight per client address (the socket's, never a forwarded header a
 * client could forge); the next one gets a 429 with Retry-After. A request counts until its response
 * closes, streamed or not, finished or abandoned. 0 turns the limit off.
 */
export function registerClientConcurrency(app: FastifyInstance, maxPerClient: number): void {
  if (maxPerClient === 0) return
  const inFlight = new Map<string, number>()
  app.addHook('onRequest', async (request, reply) => {
    const client = request.ip
    const count = inFlight.get(client) ?? 0
    if (count >= maxPerClient) {
      const error = new SmartSplitError(
        `Too many concurrent requests from ${client}: at most ${maxPerClient} at a time (server.max_concurrent_per_client). Retry when one has finished.`,
        { status: 429, type: 'rate_limit_error', code: 'too_many_concurrent_requests' },
      )
      return sendRejection(request, reply, error, { 'retry-after': '1' })
    }
    inFlight.set(client, count + 1)
    reply.raw.once('close', () => {
      const left = (inFlight.get(client) ?? 1) - 1
      if (left <= 0) inFlight.delete(client)
      else inFlight.set(client, left)
    })
  })
}
