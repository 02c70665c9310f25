import { UpstreamError } from '../errors.js'
import { SseDecoder, type SseEvent, SseEventTooLargeError } from '../wire/sse.js'
import { toUpstreamError } from './post-upstream.js'
import type { UpstreamReadLimits } from './upstream-read-limits.js'

/** An upstream response body: readable bytes that can be destroyed with a reason. */
export interface UpstreamBody extends AsyncIterable<Uint8Array> {
  readonly destroyed: boolean
  destroy(error?: Error): unknown
}

/** A provider's events → what the pipeline reads (canonical chunks), one event at a time. */
export interface EventTranslator<T> {
  push(event: SseEvent): readonly T[]
  /** What the end of the body completes (a stream whose last event has no terminator, usage…). */
  finish(): readonly T[]
}

export interface UpstreamStreamOptions<T> {
  provider: string
  idleMs: number
  limits: UpstreamReadLimits
  /** Whether an item moves the answer on; events that yield none of those do not re-arm the idle timer. */
  isProgress: (item: T) => boolean
}

function tooLarge(provider: string, what: string, setting: string): UpstreamError {
  return new UpstreamError(`${provider} sent ${what} (upstream_limits.${setting})`, { kind: 'malformed' })
}

/**
 * An upstream's streamed answer, translated: SSE bytes decoded and each event translated in this one loop
 * (a generator per layer cost a resumption and a promise per token, and every provider streams a token
 * per event). Fails as a timeout when no event arrives for `idleMs` while SmartSplit is waiting for one
 * (comments, and events whose items are no progress, such as Anthropic pings or bare role chunks, don't
 * count; time spent waiting on a slow client does not either), as malformed when one
 * event, or the whole answer, outgrows `limits`, and with every failure as an UpstreamError. One idle
 * timer per stream, re-armed with `refresh()`. The body is destroyed when the reader stops early.
 */
export async function* readUpstreamStream<T>(
  body: UpstreamBody,
  options: UpstreamStreamOptions<T>,
  translator: EventTranslator<T>,
): AsyncGenerator<T> {
  const { provider, idleMs, limits, isProgress } = options
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
      // A piece holding only comments, part of an event or events that carry nothing (an upstream can
      // send pings forever) does not re-arm the timer.
      const events = decodeOrRefuse(decoder, next.value, provider)
      if (events.length === 0) continue
      isWaiting = false
      let hasProgressed = false
      for (const event of events)
        for (const item of translator.push(event)) {
          hasProgressed ||= isProgress(item)
          yield item
        }
      isWaiting = true
      if (hasProgressed) timer.refresh()
    }
    isWaiting = false
    isDone = true
    for (const event of decodeOrRefuse(decoder, null, provider))
      for (const item of translator.push(event)) yield item
    for (const item of translator.finish()) yield item
  } catch (error) {
    throw toUpstreamError(error, provider)
  } finally {
    clearTimeout(timer)
    // Not awaited: a read still in flight only settles once the body is destroyed, just below.
    if (!isDone) void pieces.return?.(undefined)?.catch(() => {})
    // Ends the upstream request when the consumer stops early (client gone, failover): no socket leaks.
    if (!body.destroyed) body.destroy()
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
