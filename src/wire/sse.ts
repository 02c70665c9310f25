import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser'

/** One server-sent event as read off the wire. `event` is undefined when no `event:` line was sent. */
export interface SseEvent {
  event: string | undefined
  data: string
}

/**
 * Bytes → events, synchronously: `feed` returns the events a piece completed. Accepts \n, \r\n and \r
 * line endings (Gemini's SDK splits on all three), multi-line data and comment lines (OpenRouter's
 * `: OPENROUTER PROCESSING`, DeepSeek's `: keep-alive`), which are dropped. Synchronous so that a reader
 * can decode inside its own loop: a generator per layer cost a promise and an iterator result per event.
 */
export class SseDecoder {
  readonly #decoder = new TextDecoder()
  readonly #parser: EventSourceParser
  #ready: SseEvent[] = []

  constructor() {
    this.#parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        this.#ready.push({ event: message.event, data: message.data })
      },
    })
  }

  /** The events completed by this piece, in order (often none, sometimes several). */
  feed(piece: Uint8Array | string): SseEvent[] {
    this.#parser.feed(typeof piece === 'string' ? piece : this.#decoder.decode(piece, { stream: true }))
    return this.#take()
  }

  /** The events left when the body ends: a final event without its blank line still counts (Gemini ends streams by closing the socket). */
  end(): SseEvent[] {
    this.#parser.feed('\n\n')
    return this.#take()
  }

  #take(): SseEvent[] {
    if (this.#ready.length === 0) return NONE
    const ready = this.#ready
    this.#ready = []
    return ready
  }
}

const NONE: SseEvent[] = []

/** Events yielded as soon as their terminating blank line arrives: nothing is batched. */
export async function* readSseEvents(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const decoder = new SseDecoder()
  for await (const piece of body) yield* decoder.feed(piece)
  yield* decoder.end()
}

/** One JSON payload as an SSE `data:` frame, optionally named. JSON never contains raw newlines. */
export function encodeSseEvent(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`
}

/** An SSE comment: clients ignore it, proxies and idle timers see traffic. */
export function encodeSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`
}
