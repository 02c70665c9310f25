import type { ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { encodeSseComment, encodeSseEvent } from '../../wire/sse.js'
import { DASHBOARD_HEADERS } from '../dashboard-pages.js'
import type { HttpServices } from '../types.js'

/** An open dashboard that reads slower than this is dropped (it reconnects and starts afresh). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024

/**
 * GET /dashboard/api/events: one SSE stream per open dashboard. It opens with the whole snapshot, then
 * carries what changed (providers, totals, overview, routing, requests, config). The streams end when
 * the server closes, so a shutdown never waits for an open dashboard.
 */
export function registerDashboardEvents(app: FastifyInstance, services: HttpServices): void {
  const open = new Set<ServerResponse>()
  app.addHook('preClose', async () => {
    for (const response of open) response.end()
  })
  app.get('/dashboard/api/events', async (_request, reply) => {
    reply.hijack()
    const response = reply.raw
    response.writeHead(200, {
      ...DASHBOARD_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    const { source, feed } = services.dashboard
    const snapshot = source.snapshot()
    response.write(encodeSseEvent(JSON.stringify(snapshot), 'snapshot'))
    const lastId = snapshot.requests[0]?.id ?? 0
    open.add(response)
    const stop = feed.subscribe((event, data) => {
      if (response.writableLength > MAX_BUFFERED_BYTES) return response.destroy()
      response.write(event === 'heartbeat' ? encodeSseComment('') : encodeSseEvent(data, event))
    }, lastId)
    response.once('close', () => {
      open.delete(response)
      stop()
    })
  })
}
