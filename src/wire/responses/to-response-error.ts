import type { ResponseObject, ResponsesFailure } from './types.js'

/**
 * A failure → the `error` of a failed Response. The spec allows only its own codes there: a 429 (every
 * provider rate-limited) is rate_limit_exceeded, which the Codex CLI waits on and retries; anything else
 * is server_error. The message is SmartSplit's, already redacted.
 */
export function toResponseError(failure: ResponsesFailure): NonNullable<ResponseObject['error']> {
  return {
    code: failure.status === 429 ? 'rate_limit_exceeded' : 'server_error',
    message: failure.message,
  }
}
