import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser'

/** One server-sent event as read off the wire. `event` is undefined when no `event:` line was sent. */
export interface SseEvent {
  event: string | undefined
  data: string
}

/** An upstream SSE event (or the data lines gathered for one) outgrew the decoder's limit. */
export class SseEventTooLargeError extends Error {
  readonly limitChars: number
  constructor(limitChars: number) {
    super(`a stream event larger than ${limitChars} characters`)
    this.name = 'SseEventTooLargeError'
    this.limitChars = limitChars
  }
}

/** 16 Mi characters: thousands of times the largest event a provider sends (a whole tool call's arguments). */
export const DEFAULT_MAX_EVENT_CHARS = 16 * 1024 * 1024

export interface SseDecoderOptions {
  /**
   * Largest event, in characters, counting a line still waiting for its end and data lines still
   * waiting for their blank line: one `data:` line that never ends must not grow until memory runs out.
   */
  maxEventChars: number
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
  readonly #maxEventChars: number
  #ready: SseEvent[] = []
  #isTooLarge = false

  constructor(options: SseDecoderOptions = { maxEventChars: DEFAULT_MAX_EVENT_CHARS }) {
    this.#maxEventChars = options.maxEventChars
    this.#parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        // An event completed inside one piece never sat in the parser's buffer: measured here.
        if (message.data.length > this.#maxEventChars) this.#isTooLarge = true
        else this.#ready.push({ event: message.event, data: message.data })
      },
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') this.#isTooLarge = true
      },
      maxBufferSize: options.maxEventChars,
    })
  }

  /** The events completed by this piece, in order (often none, sometimes several). */
  feed(piece: Uint8Array | string): SseEvent[] {
    this.#parse(typeof piece === 'string' ? piece : this.#decoder.decode(piece, { stream: true }))
    return this.#take()
  }

  /** The events left when the body ends: a final event without its blank line still counts (Gemini ends streams by closing the socket). */
  end(): SseEvent[] {
    this.#parse('\n\n')
    return this.#take()
  }

  #parse(text: string): void {
    if (!this.#isTooLarge) this.#parser.feed(text)
    if (this.#isTooLarge) throw new SseEventTooLargeError(this.#maxEventChars)
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
export async function* readSseEvents(
  body: AsyncIterable<Uint8Array | string>,
  options?: SseDecoderOptions,
): AsyncGenerator<SseEvent> {
  const decoder = new SseDecoder(options)
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
