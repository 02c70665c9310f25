import type { ServerResponse } from 'node:http'

/** An AbortSignal that fires when the client goes away before its response is complete. */
export function abortOnClose(response: ServerResponse): AbortSignal {
  const controller = new AbortController()
  response.once('close', () => {
    if (!response.writableFinished) controller.abort()
  })
  return controller.signal
}
