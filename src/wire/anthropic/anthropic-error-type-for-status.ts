import { ANTHROPIC_ERROR_STATUS, type AnthropicErrorType } from './anthropic-error-status.js'

/** The Anthropic error type a client expects for an HTTP status; unknown 5xx read as `api_error`. */
export function anthropicErrorTypeForStatus(status: number): AnthropicErrorType {
  // 503 is how SmartSplit says "nothing can serve this now"; the SDK retries overloaded_error.
  if (status === 503) return 'overloaded_error'
  for (const [type, typeStatus] of Object.entries(ANTHROPIC_ERROR_STATUS)) {
    if (typeStatus === status) return type as AnthropicErrorType
  }
  if (status >= 400 && status < 500) return 'invalid_request_error'
  return 'api_error'
}
