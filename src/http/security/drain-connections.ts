import type { Server } from 'node:http'
import type { InFlight } from '../in-flight.js'

export interface Drain {
  /** Cuts what still runs now (a second signal, or the deadline). */
  cutNow(): void
  stop(): void
}

/** How long requests cut at the deadline get to write their error and report before sockets close. */
const CUT_SETTLE_MS = 1_000

/**
 * Graceful shutdown for a server whose close() has begun: connections whose response is done are closed
 * as soon as they turn idle (a kept-alive socket would otherwise hold close() for keepAliveTimeout),
 * and whatever still runs after `graceMs` is stopped: each request ends with its dialect's error (never
 * a complete-looking answer) and reports its usage, then the remaining sockets are closed.
 */
export function drainConnections(server: Server, inFlight: InFlight, graceMs: number): Drain {
  const reaper = setInterval(() => server.closeIdleConnections(), 50)
  let isCut = false
  const cutNow = (): void => {
    if (isCut) {
      server.closeAllConnections()
      return
    }
    isCut = true
    inFlight.cut()
    void inFlight.settled(CUT_SETTLE_MS).then(() => server.closeAllConnections())
  }
  const deadline = setTimeout(cutNow, graceMs)
  return {
    cutNow,
    stop() {
      clearInterval(reaper)
      clearTimeout(deadline)
    },
  }
}
