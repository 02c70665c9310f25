import { SmartSplitError } from '../../errors.js'
import { anthropicFailureType } from './anthropic-failure-type.js'
import { toAnthropicErrorBody } from './to-anthropic-error-body.js'
import type { AnthropicSseEvent } from './types.js'

/**
 * A failure after the /v1/messages stream has started → Anthropic's `event: error`, the only way left to
 * tell the client. Errors SmartSplit did not raise itself are reported without their message, which may
 * hold internals.
 */
export function toAnthropicErrorEvent(error: unknown): AnthropicSseEvent {
  let body: ReturnType<typeof toAnthropicErrorBody>
  if (error instanceof SmartSplitError) {
    body = toAnthropicErrorBody(error.status, anthropicFailureType(error) ?? error.type, error.message)
  } else {
    body = toAnthropicErrorBody(500, 'api_error', 'Internal server error')
  }
  return { event: 'error', data: JSON.stringify(body) }
}
