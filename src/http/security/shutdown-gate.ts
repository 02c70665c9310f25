import type { FastifyInstance } from 'fastify'
import { SmartSplitError } from '../../errors.js'
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
    const error = new SmartSplitError('SmartSplit is shutting down; retry the request once it is back.', {
      status: 503,
      type: 'service_unavailable',
      code: 'shutting_down',
    })
    return sendRejection(request, reply, error, { 'retry-after': '1' })
  })
}
