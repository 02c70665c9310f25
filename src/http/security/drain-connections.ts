import type { Server } from 'node:http'

export interface Drain {
  /** Cuts every connection now, finished or not (a second signal, or the deadline). */
  cutNow(): void
  stop(): void
}

/**
 * Graceful shutdown for a server whose close() has begun: connections whose response is done are closed
 * as soon as they turn idle (a kept-alive socket would otherwise hold close() for keepAliveTimeout),
 * and whatever still runs after `graceMs` is cut, which aborts its upstream request too.
 */
export function drainConnections(server: Server, graceMs: number): Drain {
  const reaper = setInterval(() => server.closeIdleConnections(), 50)
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs)
  return {
    cutNow: () => server.closeAllConnections(),
    stop() {
      clearInterval(reaper)
      clearTimeout(deadline)
    },
  }
}
