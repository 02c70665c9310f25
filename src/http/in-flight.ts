import type { ServerResponse } from 'node:http'
import { ShuttingDownError } from '../errors.js'

/**
 * The requests being served, so shutdown can end them properly: at the end of the grace period each is
 * stopped with a reason (its stream ends with an error event, never [DONE]; a waiting client gets a 503),
 * and the store closes only once every one of them has reported what it used.
 *
 * One controller per request, kept in a set, rather than AbortSignal.any with one server-wide signal:
 * on Node 20 every signal made by AbortSignal.any stays referenced from a long-lived source (about
 * 50 bytes a request, never freed).
 */
export class InFlight {
  readonly #running = new Map<AbortController, Promise<void>>()
  #isCut = false

  /** The signal a request's work runs under: aborted when its client leaves or the server cuts it. */
  signalFor(response: ServerResponse): AbortSignal {
    const controller = new AbortController()
    const done = new Promise<void>((resolve) => {
      response.once('close', () => {
        // Closed before the response was complete: the client went away.
        if (!response.writableFinished) controller.abort()
        this.#running.delete(controller)
        resolve()
      })
    })
    this.#running.set(controller, done)
    if (this.#isCut) controller.abort(shutdownReason())
    return controller.signal
  }

  /** Stops every request still running (the end of the shutdown grace). */
  cut(): void {
    this.#isCut = true
    for (const controller of this.#running.keys()) controller.abort(shutdownReason())
  }

  /** Resolves once every request has finished its response, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.#running.size === 0) return
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
    })
    await Promise.race([Promise.allSettled([...this.#running.values()]), deadline])
    clearTimeout(timer)
  }

  get size(): number {
    return this.#running.size
  }
}

function shutdownReason(): ShuttingDownError {
  return new ShuttingDownError('SmartSplit shut down before the answer was complete; retry the request.')
}
