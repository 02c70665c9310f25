import { createParser, type EventSourceMessage } from 'eventsource-parser'

/** One server-sent event as read off the wire. `event` is undefined when no `event:` line was sent. */
export interface SseEvent {
  event: string | undefined
  data: string
}

/**
 * Bytes → events. Accepts \n, \r\n and \r line endings (Gemini's SDK splits on all three), multi-line
 * data and comment lines (OpenRouter's `: OPENROUTER PROCESSING`, DeepSeek's `: keep-alive`), which are
 * dropped. Events are yielded as soon as their terminating blank line arrives: nothing is batched.
 */
export async function* readSseEvents(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder()
  let pending: SseEvent[] = []
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      pending.push({ event: message.event, data: message.data })
    },
  })
  for await (const piece of body) {
    parser.feed(typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }))
    if (pending.length > 0) {
      const ready = pending
      pending = []
      yield* ready
    }
  }
  // A final event without its blank line still counts (Gemini ends streams by closing the socket).
  parser.feed('\n\n')
  yield* pending
}

/** One JSON payload as an SSE `data:` frame, optionally named. JSON never contains raw newlines. */
export function encodeSseEvent(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`
}

/** An SSE comment: clients ignore it, proxies and idle timers see traffic. */
export function encodeSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`
}
