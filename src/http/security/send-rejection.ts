import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SmartSplitError } from '../../errors.js'
import { toAnthropicErrorBody } from '../../wire/anthropic/to-anthropic-error-body.js'
import { toErrorResponse } from '../error-response.js'

// Rejections written before a route runs carry no secret: their messages are SmartSplit's own text.
const noRedaction = (text: string): string => text

/** True for Anthropic's Messages API routes, whose clients expect Anthropic-shaped errors. */
export function isAnthropicRoute(request: FastifyRequest): boolean {
  return (
    request.url === '/v1/messages' ||
    request.url.startsWith('/v1/messages/') ||
    request.url.startsWith('/v1/messages?')
  )
}

/**
 * Answers a request the security and limit hooks turned away: OpenAI's error shape, or Anthropic's on
 * /v1/messages. Returns the reply so an async hook can `return sendRejection(…)` and stop the request.
 */
export function sendRejection(
  request: FastifyRequest,
  reply: FastifyReply,
  error: SmartSplitError,
  headers: Record<string, string> = {},
): FastifyReply {
  const response = toErrorResponse(error, noRedaction)
  const body = isAnthropicRoute(request)
    ? toAnthropicErrorBody(response.status, error.type, response.body.error.message)
    : response.body
  return reply
    .status(response.status)
    .headers({ ...response.headers, ...headers })
    .send(body)
}
