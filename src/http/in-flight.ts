import type { ServerResponse } from 'node:http'
import { ShuttingDownError } from '../errors.js'
import { abortOnClose } from './abort-on-close.js'

/**
 * The requests being served, so shutdown can end them properly: at the end of the grace period each is
 * stopped with a reason (its stream ends with an error event, never [DONE]; a waiting client gets a 503),
 * and the store closes only once every one of them has reported what it used.
 */
export class InFlight {
  readonly #cut = new AbortController()
  readonly #open = new Set<Promise<void>>()

  /** The signal a request's work runs under: its client leaving, or the server cutting it. */
  signalFor(response: ServerResponse): AbortSignal {
    const done = new Promise<void>((resolve) => response.once('close', () => resolve()))
    this.#open.add(done)
    void done.then(() => this.#open.delete(done))
    return AbortSignal.any([abortOnClose(response), this.#cut.signal])
  }

  /** Stops every request still running (the end of the shutdown grace). */
  cut(): void {
    this.#cut.abort(
      new ShuttingDownError('SmartSplit shut down before the answer was complete; retry the request.'),
    )
  }

  /** Resolves once every request has finished its response, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.#open.size === 0) return
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs)
    })
    await Promise.race([Promise.allSettled([...this.#open]), deadline])
    clearTimeout(timer)
  }

  get size(): number {
    return this.#open.size
  }
}
