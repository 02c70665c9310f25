import type { FastifyInstance } from 'fastify'
import { SmartSplitError } from '../../errors.js'
import { countPromptTokens } from '../../pipeline/count-prompt-tokens.js'
import type { RequestOrigin } from '../../pipeline/run.js'
import { anthropicConversation } from '../../wire/anthropic/anthropic-conversation.js'
import { completionToAnthropicMessage } from '../../wire/anthropic/completion-to-anthropic-message.js'
import { createAnthropicEventWriter } from '../../wire/anthropic/create-anthropic-event-writer.js'
import { fromAnthropicRequest } from '../../wire/anthropic/from-anthropic-request.js'
import { parseAnthropicRequest } from '../../wire/anthropic/parse-anthropic-request.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { collectAnswer } from '../collect-answer.js'
import { conversationOf } from '../conversation-of.js'
import { toAnthropicErrorResponse } from '../dialect-error-response.js'
import { routeHeaders } from '../route-headers.js'
import { type StreamDialect, streamToClient } from '../stream-to-client.js'
import type { HttpServices } from '../types.js'

// Anthropic's Messages API inbound, so Claude Code and Anthropic SDK users can set
// ANTHROPIC_BASE_URL=http://127.0.0.1:8420 and be served by any provider SmartSplit routes to. The
// request goes through the same routing as /v1/chat/completions; only the wire format differs.

/** Anthropic's SSE sequence: message_start … message_stop, tool_use blocks with input_json_delta, `event: error`. */
function messagesDialect(chat: ChatRequest, model: string, services: HttpServices): StreamDialect {
  const writer = createAnthropicEventWriter({ model, inputTokens: countPromptTokens(chat) })
  return {
    push: (chunk) => writer.push(chunk),
    finish: () => writer.finish(),
    fail: (error) => [
      { event: 'error', data: JSON.stringify(toAnthropicErrorResponse(error, services.redact).body) },
    ],
    errorResponse: (error) => toAnthropicErrorResponse(error, services.redact),
  }
}

export function registerMessages(app: FastifyInstance, services: HttpServices): void {
  app.post('/v1/messages', async (request, reply) => {
    try {
      const anthropic = parseAnthropicRequest(request.body)
      const chat = fromAnthropicRequest(anthropic)
      const conversation = conversationOf(request.headers, anthropicConversation(anthropic))
      const plan = await services.pipeline.plan(chat, { conversation })
      const origin: RequestOrigin = {
        path: '/v1/messages',
        receivedAtMs: request.receivedAtMs,
        requestId: request.id,
      }
      if (chat.stream === true) {
        const dialect = messagesDialect(chat, anthropic.model, services)
        return await streamToClient({ chat, plan, origin }, reply, services, dialect)
      }
      const signal = services.inFlight.signalFor(reply.raw)
      const outcome = await services.pipeline.run(chat, plan, origin, { wholeAnswer: true }, signal)
      const completion = await collectAnswer(outcome)
      return reply
        .headers(routeHeaders(plan, outcome.candidate, outcome.attempts, outcome.notes))
        .send(completionToAnthropicMessage(completion, anthropic.model))
    } catch (error) {
      request.failure = error
      const response = toAnthropicErrorResponse(error, services.redact)
      // As on every endpoint: SmartSplit's own errors (no provider, all failed) are the request line's
      // business; only an unexpected one is an internal error with its stack.
      if (response.status >= 500 && !(error instanceof SmartSplitError)) services.logError(error)
      return reply.status(response.status).headers(response.headers).send(response.body)
    }
  })

  app.post('/v1/messages/count_tokens', async (request, reply) => {
    try {
      const chat = fromAnthropicRequest(parseAnthropicRequest({ max_tokens: 1, ...(request.body as object) }))
      return { input_tokens: countPromptTokens(chat) }
    } catch (error) {
      request.failure = error
      const response = toAnthropicErrorResponse(error, services.redact)
      return reply.status(response.status).send(response.body)
    }
  })
}
