import type { IncomingHttpHeaders } from 'node:http'
import { toAnthropicErrorBody } from '../wire/anthropic/to-anthropic-error-body.js'
import { type ErrorResponse, toErrorResponse } from './error-response.js'

/** `url` names `path` or something under it; doubled slashes count as one, as the router reads them. */
function isUnder(url: string, path: string): boolean {
  const single = url.includes('//') ? url.replace(/\/{2,}/g, '/') : url
  return single === path || single.startsWith(`${path}/`) || single.startsWith(`${path}?`)
}

/** What decides a request's dialect: its path, and on the paths both dialects share, its headers. */
export interface DialectSource {
  url: string
  headers: IncomingHttpHeaders
}

/**
 * True for requests whose clients read only Anthropic-shaped answers: Anthropic's Messages API paths,
 * and /v1/models asked with the `anthropic-version` header every Anthropic SDK request carries.
 */
export function isAnthropicRequest(request: DialectSource): boolean {
  if (isUnder(request.url, '/v1/messages')) return true
  return isUnder(request.url, '/v1/models') && request.headers['anthropic-version'] !== undefined
}

/**
 * The one error mapping, in the shape the path's clients read: Anthropic's `{type:"error", error:{type,
 * message}}` on /v1/messages*, OpenAI's error object everywhere else (the Responses API answers its HTTP
 * errors with it too). Used by every layer that can answer an error: routes, hooks, the framework's
 * own errors (bad JSON, a body over the limit) and unknown routes.
 */
export function toDialectErrorResponse(
  error: unknown,
  request: DialectSource,
  redact: (text: string) => string,
): Omit<ErrorResponse, 'body'> & { body: unknown } {
  const response = toErrorResponse(error, redact)
  if (!isAnthropicRequest(request)) return response
  const { message, type } = response.body.error
  // Anthropic names a body over its limit request_too_large, not invalid_request_error.
  const anthropicType = response.status === 413 ? 'request_too_large' : type
  return { ...response, body: toAnthropicErrorBody(response.status, anthropicType, message) }
}
