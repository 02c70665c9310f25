import type { FastifyInstance } from 'fastify'
import type { RequestOrigin } from '../../pipeline/run.js'
import { completionToResponse } from '../../wire/responses/completion-to-response.js'
import { createResponsesEventWriter } from '../../wire/responses/create-responses-event-writer.js'
import { fromResponsesRequest } from '../../wire/responses/from-responses-request.js'
import { parseResponsesRequest } from '../../wire/responses/parse-responses-request.js'
import { responsesConversation } from '../../wire/responses/responses-conversation.js'
import type { ResponseContext, ResponsesFailure, ResponsesRequest } from '../../wire/responses/types.js'
import { collectAnswer } from '../collect-answer.js'
import { conversationOf } from '../conversation-of.js'
import { toErrorResponse } from '../error-response.js'
import { routeHeaders } from '../route-headers.js'
import { type StreamDialect, streamToClient } from '../stream-to-client.js'
import type { HttpServices } from '../types.js'

// OpenAI's Responses API inbound, so the Codex CLI (which speaks only Responses) and
// `client.responses.create` users are served by any provider SmartSplit routes to. Stateless: the request
// is translated to the same canonical chat request, routed the same way; only the wire format differs.

const PATH = '/v1/responses'
/** The one error mapping (status, redacted message), in the form the Responses events need. */
function toFailure(error: unknown, services: HttpServices): ResponsesFailure {
  const { status, body } = toErrorResponse(error, services.redact)
  return { status, message: body.error.message, code: body.error.code, param: body.error.param }
}

/** The Responses API's event sequence, from response.created to response.completed (or response.failed). */
function responsesDialect(context: ResponseContext, services: HttpServices): StreamDialect {
  const writer = createResponsesEventWriter(context)
  return {
    push: (chunk) => writer.push(chunk),
    finish: () => writer.finish(),
    fail: (error) => writer.fail(toFailure(error, services)),
    errorResponse: (error) => toErrorResponse(error, services.redact),
  }
}

function responseContext(request: ResponsesRequest, services: HttpServices): ResponseContext {
  return { request, token: (length) => services.token(length), nowMs: () => services.nowMs() }
}

export function registerResponses(app: FastifyInstance, services: HttpServices): void {
  app.post(PATH, async (request, reply) => {
    const responses = parseResponsesRequest(request.body)
    const chat = fromResponsesRequest(responses)
    const conversation = conversationOf(request.headers, responsesConversation(responses))
    const plan = await services.pipeline.plan(chat, { conversation })
    const context = responseContext(responses, services)
    const origin: RequestOrigin = { path: PATH, receivedAtMs: request.receivedAtMs, requestId: request.id }
    if (chat.stream === true) {
      return streamToClient({ chat, plan, origin }, reply, services, responsesDialect(context, services))
    }
    const signal = services.inFlight.signalFor(reply.raw)
    const outcome = await services.pipeline.run(chat, plan, origin, { wholeAnswer: true }, signal)
    const completion = await collectAnswer(outcome)
    return reply
      .headers(routeHeaders(plan, outcome.candidate, outcome.attempts, outcome.notes))
      .send(completionToResponse(completion, context))
  })
}
