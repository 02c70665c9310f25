import { SmartSplitError, UpstreamError } from '../../errors.js'
import type { AnthropicErrorType } from './anthropic-error-status.js'
import { toAnthropicErrorBody } from './to-anthropic-error-body.js'
import type { AnthropicSseEvent } from './types.js'

function upstreamErrorType(error: UpstreamError): AnthropicErrorType | null {
  switch (error.kind) {
    case 'rate_limit':
    case 'quota':
      return 'rate_limit_error'
    // The SDK and Claude Code retry overloaded_error: right for a failure another attempt may not hit.
    case 'overloaded':
    case 'timeout':
    case 'network':
    case 'malformed':
      return 'overloaded_error'
    default:
      return null
  }
}

/**
 * A failure after the /v1/messages stream has started → Anthropic's `event: error`, the only way left to
 * tell the client. Errors SmartSplit did not raise itself are reported without their message, which may
 * hold internals.
 */
export function toAnthropicErrorEvent(error: unknown): AnthropicSseEvent {
  let body: ReturnType<typeof toAnthropicErrorBody>
  if (error instanceof UpstreamError) {
    body = toAnthropicErrorBody(error.status, upstreamErrorType(error) ?? error.type, error.message)
  } else if (error instanceof SmartSplitError) {
    body = toAnthropicErrorBody(error.status, error.type, error.message)
  } else {
    body = toAnthropicErrorBody(500, 'api_error', 'Internal server error')
  }
  return { event: 'error', data: JSON.stringify(body) }
}
