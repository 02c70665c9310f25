import { UpstreamError } from '../../errors.js'
import { classifyUpstreamStatus } from '../classify-upstream-status.js'
import { ANTHROPIC_ERROR_STATUS } from './anthropic-error-status.js'

/**
 * An `event: error` that arrived after HTTP 200 → UpstreamError. Only the error type is known, so the
 * kind comes from the status Anthropic pairs with that type (overloaded_error → 529 → overloaded).
 */
export function anthropicStreamError(errorType: string, message: string | undefined): UpstreamError {
  // The type is the upstream's text: only Anthropic's own types count, not "constructor".
  const status = Object.hasOwn(ANTHROPIC_ERROR_STATUS, errorType)
    ? (ANTHROPIC_ERROR_STATUS as Record<string, number>)[errorType]!
    : 500
  const detail = message ?? ''
  const kind = classifyUpstreamStatus(status, detail)
  return new UpstreamError(`Anthropic stream error ${errorType}: ${detail || '(no message)'}`, {
    kind,
    upstreamStatus: null,
    quotaKind: kind === 'rate_limit' ? 'minute' : null,
  })
}
