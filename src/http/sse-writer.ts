import type { ServerResponse } from 'node:http'
import { encodeSseComment, encodeSseEvent } from '../wire/sse.js'

/**
 * Writes SSE frames to a raw response as they come: one write per event, no batching. A write returns a
 * promise only when the client reads slower than the upstream writes (wait for it: `drain`); otherwise
 * nothing, so the common path allocates no promise per frame.
 */
export class SseWriter {
  readonly #response: ServerResponse
  #isOpen = false
  #isCorked = false

  constructor(response: ServerResponse) {
    this.#response = response
  }

  get isOpen(): boolean {
    return this.#isOpen
  }

  get isClosed(): boolean {
    return this.#response.destroyed || this.#response.writableEnded
  }

  open(headers: Record<string, string>): void {
    if (this.#isOpen) return
    this.#isOpen = true
    this.#response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...headers,
    })
    // No flushHeaders(): the first frame follows at once and carries the headers in the same write.
  }

  event(data: string, event?: string): Promise<void> | undefined {
    return this.#write(encodeSseEvent(data, event))
  }

  comment(text: string): Promise<void> | undefined {
    return this.#write(encodeSseComment(text))
  }

  end(): void {
    if (!this.isClosed) this.#response.end()
  }

  #write(frame: string): Promise<void> | undefined {
    if (this.isClosed) return undefined
    // Frames written in the same tick (an upstream read often holds several events) leave in one
    // syscall; nothing waits longer than the current tick.
    if (!this.#isCorked) {
      this.#isCorked = true
      this.#response.cork()
      process.nextTick(() => {
        this.#isCorked = false
        this.#response.uncork()
      })
    }
    if (this.#response.write(frame)) return undefined
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.#response.off('drain', done)
        this.#response.off('close', done)
        resolve()
      }
      this.#response.on('drain', done)
      this.#response.on('close', done)
    })
  }
}
