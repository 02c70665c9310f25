import type { IncomingHttpHeaders } from 'node:http'
import { ANTHROPIC_ERROR_STATUS } from '../wire/anthropic/anthropic-error-status.js'
import { anthropicErrorTypeForStatus } from '../wire/anthropic/anthropic-error-type-for-status.js'
import { anthropicFailureType } from '../wire/anthropic/anthropic-failure-type.js'
import { type AnthropicErrorBody, toAnthropicErrorBody } from '../wire/anthropic/to-anthropic-error-body.js'
import { apiOfPath } from './api-of-path.js'
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
 * /v1/models asked with the `anthropic-version` header every Anthropic SDK request carries, and paths
 * SmartSplit does not serve that look meant for Anthropic (/messages, /anthropic/v1/messages,
 * /v1/complete) or come with Anthropic's headers: their 404 says which base URL to use, in their shape.
 */
export function isAnthropicRequest(request: DialectSource): boolean {
  if (isUnder(request.url, '/v1/messages')) return true
  if (isUnder(request.url, '/v1/models')) return request.headers['anthropic-version'] !== undefined
  return apiOfPath(request.url, request.headers) === 'anthropic'
}

/**
 * The one error mapping in Anthropic's shape, for /v1/messages and everything its clients ask. An upstream
 * failure gets the type and status Anthropic itself would answer (rate_limit_error 429, overloaded_error
 * 529, api_error 500), so the SDKs and Claude Code back off and retry as they do against Anthropic; a
 * retry-after goes out wherever the OpenAI dialect sends one.
 */
export function toAnthropicErrorResponse(
  error: unknown,
  redact: (text: string) => string,
): Omit<ErrorResponse, 'body'> & { body: AnthropicErrorBody } {
  const response = toErrorResponse(error, redact)
  const { message } = response.body.error
  const failureType = anthropicFailureType(error)
  if (failureType !== null) {
    const status = ANTHROPIC_ERROR_STATUS[failureType]
    return { ...response, status, body: toAnthropicErrorBody(status, failureType, message) }
  }
  // Otherwise the status decides, as Anthropic pairs them: a 404 for an unknown model is not_found_error,
  // a 413 request_too_large, a 403 permission_error, whatever SmartSplit's own type says.
  const type = anthropicErrorTypeForStatus(response.status)
  return { ...response, body: toAnthropicErrorBody(response.status, type, message) }
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
  return isAnthropicRequest(request)
    ? toAnthropicErrorResponse(error, redact)
    : toErrorResponse(error, redact)
}
