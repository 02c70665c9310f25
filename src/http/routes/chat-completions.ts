import type { FastifyInstance } from 'fastify'
import type { RequestOrigin } from '../../pipeline/run.js'
import { chatConversation } from '../../wire/openai/chat-conversation.js'
import { parseChatRequest } from '../../wire/openai/parse-chat-request.js'
import type { ChatRequest } from '../../wire/openai/types.js'
import { collectAnswer } from '../collect-answer.js'
import { conversationOf } from '../conversation-of.js'
import { toErrorResponse } from '../error-response.js'
import { routeHeaders } from '../route-headers.js'
import { type StreamDialect, streamToClient } from '../stream-to-client.js'
import type { HttpServices } from '../types.js'

const PATH = '/v1/chat/completions'

/** OpenAI's framing: `data:` frames, the usage chunk only when asked for, `[DONE]` last, an error frame on failure. */
function chatDialect(chat: ChatRequest, services: HttpServices): StreamDialect {
  const includeUsage = chat.stream_options?.include_usage === true
  return {
    push: (chunk) => (!includeUsage && chunk.choices.length === 0 ? [] : [{ data: JSON.stringify(chunk) }]),
    finish: () => [{ data: '[DONE]' }],
    fail: (error) => [{ data: JSON.stringify(toErrorResponse(error, services.redact).body) }],
    errorResponse: (error) => toErrorResponse(error, services.redact),
  }
}

export function registerChatCompletions(app: FastifyInstance, services: HttpServices): void {
  app.post(PATH, async (request, reply) => {
    const chat = parseChatRequest(request.body)
    const conversation = conversationOf(request.headers, chatConversation(chat))
    const plan = await services.pipeline.plan(chat, { conversation })
    const origin: RequestOrigin = { path: PATH, receivedAtMs: request.receivedAtMs, requestId: request.id }
    if (chat.stream === true) {
      return streamToClient({ chat, plan, origin }, reply, services, chatDialect(chat, services))
    }
    const signal = services.inFlight.signalFor(reply.raw)
    const outcome = await services.pipeline.run(chat, plan, origin, { wholeAnswer: true }, signal)
    const completion = await collectAnswer(outcome)
    return reply
      .headers(routeHeaders(plan, outcome.candidate, outcome.attempts, outcome.notes))
      .send(completion)
  })
}
