import { UpstreamError } from '../errors.js'
import { readSseEvents, type SseEvent } from '../wire/sse.js'

/** An upstream response body: readable bytes that can be destroyed with a reason. */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown
}

/**
 * An upstream's SSE events, failing as a timeout when no event arrives for `idleMs` while SmartSplit is
 * waiting for one (comments don't count; time spent waiting on a slow client does not either). One timer
 * per stream, re-armed with `refresh()`: racing a new timer against every event cost a promise and a
 * timer per token.
 */
export async function* readEvents(
  body: UpstreamBody,
  idleMs: number,
  provider: string,
): AsyncGenerator<SseEvent> {
  const events = readSseEvents(body)[Symbol.asyncIterator]()
  let isWaiting = false
  const timer = setTimeout(function onIdle() {
    if (isWaiting)
      body.destroy(new UpstreamError(`${provider} sent no data for ${idleMs} ms`, { kind: 'timeout' }))
    else timer.refresh()
  }, idleMs)
  try {
    while (true) {
      isWaiting = true
      timer.refresh()
      const next = await events.next()
      isWaiting = false
      if (next.done) return
      yield next.value
    }
  } finally {
    clearTimeout(timer)
    // Not awaited: a generator stuck in a read only returns once that read settles; the caller destroys
    // the body, which settles it.
    void events.return?.(undefined)?.catch(() => {})
  }
}
