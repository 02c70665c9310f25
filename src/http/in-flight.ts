import type { ServerResponse } from 'node:http'
import { ShuttingDownError } from '../errors.js'

/**
 * The requests being served, so shutdown can end them properly: at the end of the grace period each is
 * stopped with a reason (its stream ends with an error event, never [DONE]; a waiting client gets a 503),
 * and the store closes only once every one of them has reported what it used.
 */
export class InFlight {
  #cutReason: ShuttingDownError | null = null
  /** One controller per request whose response is not closed yet. */
  readonly #open = new Set<AbortController>()
  #onceEmpty: (() => void)[] = []

  /**
   * The signal a request's work runs under: its client leaving before the response is complete, or the
   * server cutting it. One controller per request (AbortSignal.any costs far more on Node 20).
   */
  signalFor(response: ServerResponse): AbortSignal {
    const controller = new AbortController()
    if (this.#cutReason !== null) controller.abort(this.#cutReason)
    this.#open.add(controller)
    response.once('close', () => {
      if (!response.writableFinished) controller.abort()
      this.#open.delete(controller)
      if (this.#open.size === 0) for (const resolve of this.#onceEmpty.splice(0)) resolve()
    })
    return controller.signal
  }

  /** Stops every request still running (the end of the shutdown grace). */
  cut(): void {
    this.#cutReason = new ShuttingDownError(
      'SmartSplit shut down before the answer was complete; retry the request.',
    )
    for (const controller of this.#open) controller.abort(this.#cutReason)
  }

  /** Resolves once every request has finished its response, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.#open.size === 0) return
    let timer: NodeJS.Timeout | undefined
    await new Promise<void>((resolve) => {
      this.#onceEmpty.push(resolve)
      timer = setTimeout(resolve, timeoutMs)
    })
    clearTimeout(timer)
  }

  get size(): number {
    return this.#open.size
  }
}
