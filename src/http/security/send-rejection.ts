import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SmartSplitError } from '../../errors.js'
import { isAnthropicPath, toDialectErrorResponse } from '../dialect-error-response.js'

// Rejections written before a route runs carry no secret: their messages are SmartSplit's own text.
const noRedaction = (text: string): string => text

/** True for Anthropic's Messages API routes, whose clients expect Anthropic-shaped errors. */
export function isAnthropicRoute(request: FastifyRequest): boolean {
  return isAnthropicPath(request.url)
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
  const response = toDialectErrorResponse(error, request.url, noRedaction)
  return reply
    .status(response.status)
    .headers({ ...response.headers, ...headers })
    .send(response.body)
}
