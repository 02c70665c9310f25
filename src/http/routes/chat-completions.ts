import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  planRoute,
  type RequestOrigin,
  type RoutePlan,
  type RunContext,
  runCollected,
  runStreaming,
  type StreamOutcome,
} from '../../pipeline/run.js'
import { parseChatRequest } from '../../wire/openai/parse-chat-request.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { abortOnClose } from '../abort-on-close.js'
import { toErrorResponse } from '../error-response.js'
import { routeHeaders } from '../route-headers.js'
import { SseWriter } from '../sse-writer.js'
import type { HttpServices } from '../types.js'

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

/**
 * Streams an answer. Headers wait for the first chunk so that a failure before it can still become a
 * proper HTTP error; if the first chunk takes longer than keepalive_ms, the stream is opened and SSE
 * comments keep the connection alive while fallback goes on. After content, a failure ends the stream
 * with an error event and no [DONE]: a truncated answer never looks complete.
 */
async function streamChat(
  chat: ChatRequest,
  plan: RoutePlan,
  reply: FastifyReply,
  ctx: RunContext,
  services: HttpServices,
  origin: RequestOrigin,
): Promise<void> {
  reply.hijack()
  const signal = abortOnClose(reply.raw)
  const writer = new SseWriter(reply.raw)
  const includeUsage = chat.stream_options?.include_usage === true
  const pending = runStreaming(chat, plan, ctx, signal, origin)
  pending.catch(() => {}) // observed below; avoids an unhandled rejection while the keep-alive timer runs
  let keepalive: NodeJS.Timeout | undefined
  if ((await settledWithin(pending, services.keepaliveMs).catch(() => null)) === NOT_YET) {
    writer.open(routeHeaders(plan, null, []))
    await writer.comment('keep-alive')
    keepalive = setInterval(() => void writer.comment('keep-alive'), services.keepaliveMs)
  }
  let outcome: StreamOutcome
  try {
    outcome = await pending
  } catch (error) {
    clearInterval(keepalive)
    const response = toErrorResponse(error, services.redact)
    services.logRequest({
      path: '/v1/chat/completions',
      status: response.status,
      plan,
      candidate: null,
      error,
    })
    if (writer.isOpen) {
      await writer.event(JSON.stringify(response.body))
      writer.end()
    } else if (!writer.isClosed) {
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
  writer.open(routeHeaders(plan, outcome.candidate, outcome.attempts, outcome.notes))
  try {
    for await (const chunk of outcome.chunks) {
      if (signal.aborted) break
      if (!includeUsage && chunk.choices.length === 0) continue
      await writer.event(JSON.stringify(chunk))
    }
    if (!signal.aborted) await writer.event('[DONE]')
    services.logRequest({
      path: '/v1/chat/completions',
      status: 200,
      plan,
      candidate: outcome.candidate,
      error: null,
    })
  } catch (error) {
    if (!signal.aborted) await writer.event(JSON.stringify(toErrorResponse(error, services.redact).body))
    services.logRequest({
      path: '/v1/chat/completions',
      status: 200,
      plan,
      candidate: outcome.candidate,
      error,
    })
  } finally {
    writer.end()
  }
}

export function registerChatCompletions(app: FastifyInstance, services: HttpServices): void {
  app.post('/v1/chat/completions', async (request, reply) => {
    const chat = parseChatRequest(request.body)
    const ctx = services.runContext()
    const plan = planRoute(chat, ctx)
    const origin: RequestOrigin = { path: '/v1/chat/completions', receivedAtMs: request.receivedAtMs }
    if (chat.stream === true) return streamChat(chat, plan, reply, ctx, services, origin)
    const signal = abortOnClose(reply.raw)
    const outcome = await runCollected(chat, plan, ctx, signal, origin)
    services.logRequest({
      path: '/v1/chat/completions',
      status: 200,
      plan,
      candidate: outcome.candidate,
      error: null,
    })
    return reply
      .headers(routeHeaders(plan, outcome.candidate, outcome.attempts, outcome.notes))
      .send(outcome.completion)
  })
}
