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
import type { ChatRequest } from '../../wire/openai/types.js'
import { completionToResponse } from '../../wire/responses/completion-to-response.js'
import { createResponsesEventWriter } from '../../wire/responses/create-responses-event-writer.js'
import { fromResponsesRequest } from '../../wire/responses/from-responses-request.js'
import { parseResponsesRequest } from '../../wire/responses/parse-responses-request.js'
import type {
  ResponseContext,
  ResponsesFailure,
  ResponsesRequest,
  ResponsesSseEvent,
} from '../../wire/responses/types.js'
import { abortOnClose } from '../abort-on-close.js'
import { toErrorResponse } from '../error-response.js'
import { routeHeaders } from '../route-headers.js'
import { SseWriter } from '../sse-writer.js'
import type { HttpServices } from '../types.js'

// OpenAI's Responses API inbound, so the Codex CLI (which speaks only Responses) and
// `client.responses.create` users are served by any provider SmartSplit routes to. Stateless: the request
// is translated to the same canonical chat request, routed the same way; only the wire format differs.

const PATH = '/v1/responses'
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

/** The one error mapping (status, redacted message), in the form the Responses events need. */
function toFailure(error: unknown, services: HttpServices): ResponsesFailure {
  const { status, body } = toErrorResponse(error, services.redact)
  return { status, message: body.error.message, code: body.error.code, param: body.error.param }
}

async function send(sse: SseWriter, events: ResponsesSseEvent[]): Promise<void> {
  for (const event of events) await sse.event(event.data, event.event)
}

/**
 * Streams a Response. As for chat completions, headers wait for the first chunk so that a failure before
 * it is still a proper HTTP error, and SSE comments keep a slow first token's connection alive. A failure
 * after response.created ends the stream with response.failed: a truncated answer never looks complete.
 */
async function streamResponse(
  chat: ChatRequest,
  plan: RoutePlan,
  reply: FastifyReply,
  ctx: RunContext,
  services: HttpServices,
  context: ResponseContext,
  origin: RequestOrigin,
): Promise<void> {
  reply.hijack()
  const signal = abortOnClose(reply.raw)
  const sse = new SseWriter(reply.raw)
  const writer = createResponsesEventWriter(context)
  const pending = runStreaming(chat, plan, ctx, signal, origin)
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
    const response = toErrorResponse(error, services.redact)
    services.logRequest({ path: PATH, status: response.status, plan, candidate: null, error })
    if (sse.isOpen) {
      await send(sse, writer.fail(toFailure(error, services)))
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
      await send(sse, writer.push(chunk))
    }
    if (!signal.aborted) await send(sse, writer.finish())
    services.logRequest({ path: PATH, status: 200, plan, candidate: outcome.candidate, error: null })
  } catch (error) {
    if (!signal.aborted) await send(sse, writer.fail(toFailure(error, services)))
    services.logRequest({ path: PATH, status: 200, plan, candidate: outcome.candidate, error })
  } finally {
    sse.end()
  }
}

function responseContext(
  request: ResponsesRequest,
  ctx: RunContext,
  services: HttpServices,
): ResponseContext {
  return { request, token: (length) => ctx.random.token(length), nowMs: () => services.nowMs() }
}

export function registerResponses(app: FastifyInstance, services: HttpServices): void {
  app.post(PATH, async (request, reply) => {
    const responses = parseResponsesRequest(request.body)
    const chat = fromResponsesRequest(responses)
    const ctx = services.runContext()
    const plan = planRoute(chat, ctx)
    const context = responseContext(responses, ctx, services)
    const origin: RequestOrigin = { path: PATH, receivedAtMs: request.receivedAtMs }
    if (chat.stream === true) return streamResponse(chat, plan, reply, ctx, services, context, origin)
    const outcome = await runCollected(chat, plan, ctx, abortOnClose(reply.raw), origin)
    services.logRequest({ path: PATH, status: 200, plan, candidate: outcome.candidate, error: null })
    return reply
      .headers(routeHeaders(plan, outcome.candidate, outcome.attempts, outcome.notes))
      .send(completionToResponse(outcome.completion, context))
  })
}
