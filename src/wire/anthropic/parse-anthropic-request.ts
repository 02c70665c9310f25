import { InvalidRequestError } from '../../errors.js'
import { anthropicRequestSchema } from './anthropic-request-schema.js'
import { describeZodIssue } from './describe-zod-issue.js'
import type { AnthropicMessagesRequest } from './types.js'

/**
 * Validates a POST /v1/messages body. Accepts what real clients send (system as cache_control'd text
 * blocks, thinking, metadata, extra fields) and throws InvalidRequestError naming the first bad field,
 * e.g. param `messages.0.content`, as Anthropic itself would.
 */
export function parseAnthropicRequest(body: unknown): AnthropicMessagesRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('The request body must be a JSON object.')
  }
  const result = anthropicRequestSchema.safeParse(body)
  if (result.success) return result.data
  const first = result.error.issues[0]
  if (first === undefined) throw new InvalidRequestError('The request body is invalid.')
  const { param, message } = describeZodIssue(first)
  throw new InvalidRequestError(param === null ? message : `${param}: ${message}`, { param })
}
