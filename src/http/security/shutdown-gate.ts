import type { FastifyInstance } from 'fastify'
import { ShuttingDownError } from '../../errors.js'
import { sendRejection } from './send-rejection.js'

/**
 * Once the server is closing, a request arriving on a kept-alive connection gets an OpenAI-shaped 503
 * and `connection: close` (new connections are already refused); requests in flight are not touched.
 */
export function registerShutdownGate(app: FastifyInstance): void {
  let isClosing = false
  app.addHook('preClose', async () => {
    isClosing = true
  })
  app.addHook('onRequest', async (request, reply) => {
    if (!isClosing) return
    reply.raw.setHeader('connection', 'close')
    return sendRejection(request, reply, new ShuttingDownError(), { 'retry-after': '1' })
  })
}
