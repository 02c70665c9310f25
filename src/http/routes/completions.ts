import type { FastifyInstance } from 'fastify'
import type { RequestOrigin } from '../../pipeline/run.js'
import { fromCompletionsRequest } from '../../wire/completions/from-completions-request.js'
import { parseCompletionsRequest } from '../../wire/completions/parse-completions-request.js'
import {
  completionToTextCompletion,
  toTextCompletionChunk,
} from '../../wire/completions/to-text-completion.js'
import type { CompletionsRequest } from '../../wire/completions/types.js'
import { collectAnswer } from '../collect-answer.js'
import { toErrorResponse } from '../error-response.js'
import { routeHeaders } from '../route-headers.js'
import { type StreamDialect, streamToClient } from '../stream-to-client.js'
import type { HttpServices } from '../types.js'

// OpenAI's legacy Completions API, which editors' autocomplete calls (Continue, Tabby): routed as
// `autocomplete`, latency first, to a native fill-in-the-middle endpoint where one is configured
// (Codestral) and through a chat model otherwise. Never held back for the quality gate: streamed or
// collected, the answer goes out as it comes.

const PATH = '/v1/completions'

/** `text_completion` chunks, the usage chunk only when asked for, `[DONE]` last, an error frame on failure. */
function completionsDialect(req: CompletionsRequest, services: HttpServices): StreamDialect {
  const includeUsage = req.stream_options?.include_usage === true
  return {
    push: (chunk) => {
      const completion = toTextCompletionChunk(chunk)
      if (completion === null) return []
      if (!includeUsage) {
        if (completion.choices.length === 0) return []
        delete completion.usage
      }
      return [{ data: JSON.stringify(completion) }]
    },
    finish: () => [{ data: '[DONE]' }],
    fail: (error) => [{ data: JSON.stringify(toErrorResponse(error, services.redact).body) }],
    errorResponse: (error) => toErrorResponse(error, services.redact),
  }
}

export function registerCompletions(app: FastifyInstance, services: HttpServices): void {
  app.post(PATH, async (request, reply) => {
    const completions = parseCompletionsRequest(request.body)
    const chat = fromCompletionsRequest(completions)
    const plan = await services.pipeline.plan(chat)
    const origin: RequestOrigin = { path: PATH, receivedAtMs: request.receivedAtMs, requestId: request.id }
    if (chat.stream === true) {
      return streamToClient(
        { chat, plan, origin },
        reply,
        services,
        completionsDialect(completions, services),
      )
    }
    const signal = services.inFlight.signalFor(reply.raw)
    const outcome = await services.pipeline.run(chat, plan, origin, { wholeAnswer: false }, signal)
    const completion = await collectAnswer(outcome)
    return reply
      .headers(routeHeaders(plan, outcome.candidate, outcome.attempts, outcome.notes))
      .send(completionToTextCompletion(completion))
  })
}
