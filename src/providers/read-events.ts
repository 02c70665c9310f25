import { UpstreamError } from '../errors.js'
import { SseDecoder, type SseEvent, SseEventTooLargeError } from '../wire/sse.js'
import type { UpstreamReadLimits } from './upstream-read-limits.js'

/** An upstream response body: readable bytes that can be destroyed with a reason. */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown
}

function tooLarge(provider: string, what: string, setting: string): UpstreamError {
  return new UpstreamError(`${provider} sent ${what} (upstream_limits.${setting})`, { kind: 'malformed' })
}

/**
 * An upstream's SSE events, failing as a timeout when no event arrives for `idleMs` while SmartSplit is
 * waiting for one (comments don't count; time spent waiting on a slow client does not either), and as
 * malformed when one event, or the whole answer, outgrows `limits`. One timer
 * per stream, re-armed with `refresh()`: racing a new timer against every event cost a promise and a
 * timer per token. The body is decoded here, in the same loop, rather than through a second generator.
 */
export async function* readEvents(
  body: UpstreamBody,
  idleMs: number,
  provider: string,
  limits: UpstreamReadLimits,
): AsyncGenerator<SseEvent> {
  const pieces = body[Symbol.asyncIterator]()
  const decoder = new SseDecoder({ maxEventChars: limits.maxEventChars })
  let bytesRead = 0
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
      bytesRead += next.value.length
      if (bytesRead > limits.maxAnswerBytes)
        throw tooLarge(provider, `an answer larger than ${limits.maxAnswerBytes} bytes`, 'max_answer_bytes')
      // A piece holding only comments or part of an event does not re-arm the timer.
      const events = decodeOrRefuse(decoder, next.value, provider)
      if (events.length === 0) continue
      isWaiting = false
      for (const event of events) yield event
      isWaiting = true
      timer.refresh()
    }
    isWaiting = false
    isDone = true
    for (const event of decodeOrRefuse(decoder, null, provider)) yield event
  } finally {
    clearTimeout(timer)
    // Not awaited: a read still in flight only settles once the caller destroys the body, which it does.
    if (!isDone) void pieces.return?.(undefined)?.catch(() => {})
  }
}

/** The events a piece completes (null: the body ended), with an oversized event as a malformed answer. */
function decodeOrRefuse(decoder: SseDecoder, piece: Uint8Array | null, provider: string): SseEvent[] {
  try {
    return piece === null ? decoder.end() : decoder.feed(piece)
  } catch (error) {
    if (!(error instanceof SseEventTooLargeError)) throw error
    throw tooLarge(provider, error.message, 'max_event_chars')
  }
}
