import { UpstreamError } from '../errors.js'
import { SseDecoder, type SseEvent } from '../wire/sse.js'

/** An upstream response body: readable bytes that can be destroyed with a reason. */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown
}

/**
 * An upstream's SSE events, failing as a timeout when no event arrives for `idleMs` while SmartSplit is
 * waiting for one (comments don't count; time spent waiting on a slow client does not either). One timer
 * per stream, re-armed with `refresh()`: racing a new timer against every event cost a promise and a
 * timer per token. The body is decoded here, in the same loop, rather than through a second generator.
 */
export async function* readEvents(
  body: UpstreamBody,
  idleMs: number,
  provider: string,
): AsyncGenerator<SseEvent> {
  const pieces = body[Symbol.asyncIterator]()
  const decoder = new SseDecoder()
  let isWaiting = false
  const timer = setTimeout(function onIdle() {
    if (isWaiting)
      body.destroy(new UpstreamError(`${provider} sent no data for ${idleMs} ms`, { kind: 'timeout' }))
    else timer.refresh()
  }, idleMs)
  let isDone = false
  try {
    isWaiting = true
    timer.refresh()
    while (true) {
      const next = await pieces.next()
      if (next.done) break
      // A piece holding only comments or part of an event does not re-arm the timer.
      const events = decoder.feed(next.value)
      if (events.length === 0) continue
      isWaiting = false
      for (const event of events) yield event
      isWaiting = true
      timer.refresh()
    }
    isWaiting = false
    isDone = true
    for (const event of decoder.end()) yield event
  } finally {
    clearTimeout(timer)
    // Not awaited: a read still in flight only settles once the caller destroys the body, which it does.
    if (!isDone) void pieces.return?.(undefined)?.catch(() => {})
  }
}
