import { ANTHROPIC_ERROR_STATUS, type AnthropicErrorType } from './anthropic-error-status.js'
import { anthropicErrorTypeForStatus } from './anthropic-error-type-for-status.js'

export interface AnthropicErrorBody {
  type: 'error'
  error: { type: AnthropicErrorType; message: string }
}

function isAnthropicErrorType(type: string): type is AnthropicErrorType {
  return Object.hasOwn(ANTHROPIC_ERROR_STATUS, type)
}

/**
 * The error body /v1/messages answers with. `type` is kept when it already is an Anthropic error type
 * (SmartSplit's invalid_request_error, rate_limit_error… share the names); otherwise the status decides,
 * so upstream_error and server_error reach Anthropic clients as api_error or overloaded_error.
 */
export function toAnthropicErrorBody(status: number, type: string, message: string): AnthropicErrorBody {
  return {
    type: 'error',
    error: { type: isAnthropicErrorType(type) ? type : anthropicErrorTypeForStatus(status), message },
  }
}
