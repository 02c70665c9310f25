import type { FastifyReply } from 'fastify'
import { isClientGone } from '../lib/abort.js'
import type { RequestOrigin, RoutePlan, StreamOutcome } from '../pipeline/run.js'
import type { ChatChunk, ChatRequest } from '../wire/openai/types.js'
import { clientName } from './client-name.js'
import { routeHeaders } from './route-headers.js'
import { SseWriter } from './sse-writer.js'
import type { HttpServices } from './types.js'

/** One SSE frame; `event` is the `event:` line, absent for OpenAI's data-only framing. */
export interface SseFrame {
  event?: string
  data: string
}

/** How one inbound dialect (chat completions, Responses, Anthropic messages) writes a stream. */
export interface StreamDialect {
  /** Frames for one canonical chunk (may be none). */
  push(chunk: ChatChunk): SseFrame[]
  /** Frames that close a complete answer ([DONE], message_stop, response.completed…). */
  finish(): SseFrame[]
  /** Frames that end a stream broken after it started, so a truncated answer never looks complete. */
  fail(error: unknown): SseFrame[]
  /** The HTTP error for a failure before anything was sent, in the dialect's body shape. */
  errorResponse(error: unknown): { status: number; headers: Record<string, string>; body: unknown }
}

const NOT_YET = Symbol('not yet')

async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | typeof NOT_YET> {
  let timer: NodeJS.Timeout | undefined
  const waiting = new Promise<typeof NOT_YET>((resolve) => {
    timer = setTimeout(() => resolve(NOT_YET), ms)
  })
  try {
    return await Promise.race([promise, waiting])
  } finally {
    clearTimeout(timer)
  }
}

/** Writes frames in order; a promise only when the client is behind (see SseWriter). */
function send(sse: SseWriter, frames: readonly SseFrame[], from = 0): Promise<void> | undefined {
  for (let i = from; i < frames.length; i++) {
    const frame = frames[i]!
    const backlog = sse.event(frame.data, frame.event)
    if (backlog !== undefined) return backlog.then(() => send(sse, frames, i + 1))
  }
  return undefined
}

/**
 * Streams an answer in any inbound dialect. Headers wait for the first chunk so that a failure before it
 * can still become a proper HTTP error; if the first chunk takes longer than keepalive_ms, the stream is
 * opened and SSE comments keep the connection alive while fallback goes on. After content, a failure ends
 * the stream with the dialect's error frames: a truncated answer never looks complete.
 */
export async function streamToClient(
  request: { chat: ChatRequest; plan: RoutePlan; origin: RequestOrigin },
  reply: FastifyReply,
  services: HttpServices,
  dialect: StreamDialect,
): Promise<void> {
  const { chat, plan, origin } = request
  reply.request.isStreamed = true
  const log = (status: number, error: unknown): void =>
    services.logRequest({
      requestId: reply.request.id,
      method: reply.request.method,
      path: origin.path,
      status,
      receivedAtMs: origin.receivedAtMs,
      client: clientName(reply.request),
      error,
    })
  reply.hijack()
  const signal = services.inFlight.signalFor(reply.raw)
  const sse = new SseWriter(reply.raw)
  const pending = services.pipeline.run(chat, plan, origin, { wholeAnswer: false }, signal)
  pending.catch(() => {}) // observed below; avoids an unhandled rejection while the keep-alive timer runs
  let keepalive: NodeJS.Timeout | undefined
  if ((await settledWithin(pending, services.keepaliveMs).catch(() => null)) === NOT_YET) {
    sse.open(routeHeaders(plan, null, []))
    await sse.comment('keep-alive')
    keepalive = setInterval(() => void sse.comment('keep-alive'), services.keepaliveMs)
  }
  let outcome: StreamOutcome
  try {
    outcome = await pending
  } catch (error) {
    clearInterval(keepalive)
    const response = dialect.errorResponse(error)
    log(response.status, error)
    if (sse.isOpen) {
      await send(sse, dialect.fail(error))
      sse.end()
    } else if (!sse.isClosed) {
      reply.raw.writeHead(response.status, {
        'content-type': 'application/json',
        ...routeHeaders(plan, null, []),
        ...response.headers,
      })
      reply.raw.end(JSON.stringify(response.body))
    }
    return
  }
  clearInterval(keepalive)
  sse.open(routeHeaders(plan, outcome.candidate, outcome.attempts, outcome.notes))
  try {
    for await (const chunk of outcome.chunks) {
      if (signal.aborted) break
      const backlog = send(sse, dialect.push(chunk))
      if (backlog !== undefined) await backlog
    }
    // Stopped by the server (shutdown): the answer is incomplete, and must not look complete.
    if (signal.aborted) throw signal.reason
    await send(sse, dialect.finish())
    log(200, null)
  } catch (error) {
    if (!isClientGone(signal)) await send(sse, dialect.fail(signal.aborted ? signal.reason : error))
    log(200, error)
  } finally {
    sse.end()
  }
}
