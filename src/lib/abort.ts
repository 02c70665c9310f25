import { SmartSplitError } from '../errors.js'

export class ClientGoneError extends Error {
  constructor() {
    super('the client disconnected')
    this.name = 'ClientGoneError'
  }
}

/**
 * Why work under `signal` stopped, as the error to throw: the reason the server gave (shutting down),
 * or the client having left.
 */
export function stoppedBy(signal: AbortSignal): Error {
  return signal.reason instanceof SmartSplitError ? signal.reason : new ClientGoneError()
}

/** True when the client left (not when the server itself stopped the work). */
export function isClientGone(signal: AbortSignal): boolean {
  return signal.aborted && !(signal.reason instanceof SmartSplitError)
}
