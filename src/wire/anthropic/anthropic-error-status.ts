/**
 * Anthropic's error types and the HTTP status each comes with (wire-formats.md §2.4). Read both ways:
 * a mid-stream `event: error` only names the type, and SmartSplit's own errors only know their status.
 */
export const ANTHROPIC_ERROR_STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
} as const

export type AnthropicErrorType = keyof typeof ANTHROPIC_ERROR_STATUS
