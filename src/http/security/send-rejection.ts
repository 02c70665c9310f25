import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SmartSplitError } from '../../errors.js'
import { isAnthropicRequest, toDialectErrorResponse } from '../dialect-error-response.js'

// Rejections written before a route runs carry no secret: their messages are SmartSplit's own text.
const noRedaction = (text: string): string => text

/** True for Anthropic clients (see isAnthropicRequest), who expect Anthropic-shaped errors and credentials. */
export function isAnthropicRoute(request: FastifyRequest): boolean {
  return isAnthropicRequest(request)
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
  const response = toDialectErrorResponse(error, request, noRedaction)
  return reply
    .status(response.status)
    .headers({ ...response.headers, ...headers })
    .send(response.body)
}
