import { UpstreamError } from '../errors.js'
import { withIdleTimeout } from '../lib/with-idle-timeout.js'
import { readSseEvents, type SseEvent } from '../wire/sse.js'

/** An upstream's SSE events, failing as a timeout when no event arrives for `idleMs` (comments don't count). */
export function readEvents(
  body: AsyncIterable<Uint8Array>,
  idleMs: number,
  provider: string,
): AsyncGenerator<SseEvent> {
  return withIdleTimeout(
    readSseEvents(body),
    idleMs,
    () => new UpstreamError(`${provider} sent no data for ${idleMs} ms`, { kind: 'timeout' }),
  )
}
