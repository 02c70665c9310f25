import { toAnthropicErrorBody } from '../wire/anthropic/to-anthropic-error-body.js'
import { type ErrorResponse, toErrorResponse } from './error-response.js'

/** True for Anthropic's Messages API paths, whose clients read only Anthropic-shaped errors. */
export function isAnthropicPath(url: string): boolean {
  return url === '/v1/messages' || url.startsWith('/v1/messages/') || url.startsWith('/v1/messages?')
}

/**
 * The one error mapping, in the shape the path's clients read: Anthropic's `{type:"error", error:{type,
 * message}}` on /v1/messages*, OpenAI's error object everywhere else (the Responses API answers its HTTP
 * errors with it too). Used by every layer that can answer an error: routes, hooks, the framework's
 * own errors (bad JSON, a body over the limit) and unknown routes.
 */
export function toDialectErrorResponse(
  error: unknown,
  url: string,
  redact: (text: string) => string,
): Omit<ErrorResponse, 'body'> & { body: unknown } {
  const response = toErrorResponse(error, redact)
  if (!isAnthropicPath(url)) return response
  const { message, type } = response.body.error
  // Anthropic names a body over its limit request_too_large, not invalid_request_error.
  const anthropicType = response.status === 413 ? 'request_too_large' : type
  return { ...response, body: toAnthropicErrorBody(response.status, anthropicType, message) }
}
