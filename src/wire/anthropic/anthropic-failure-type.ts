import { AllProvidersFailedError, UpstreamError, type UpstreamFailureKind } from '../../errors.js'
import type { AnthropicErrorType } from './anthropic-error-status.js'

const RATE_LIMITED: ReadonlySet<UpstreamFailureKind> = new Set(['rate_limit', 'quota'])
// Capacity that comes back by itself: Anthropic SDKs and Claude Code retry overloaded_error with backoff.
// A malformed or refused answer is one another attempt may well not get.
const PASSING: ReadonlySet<UpstreamFailureKind> = new Set([
  ...RATE_LIMITED,
  'overloaded',
  'timeout',
  'network',
  'malformed',
])

/** The Anthropic error type for why the upstream attempts failed; api_error when one cannot pass by waiting. */
export function anthropicTypeForFailures(kinds: readonly UpstreamFailureKind[]): AnthropicErrorType {
  if (kinds.length === 0) return 'api_error'
  if (kinds.every((kind) => RATE_LIMITED.has(kind))) return 'rate_limit_error'
  if (kinds.every((kind) => PASSING.has(kind))) return 'overloaded_error'
  return 'api_error'
}

/**
 * The Anthropic error type of an upstream failure, from what failed rather than from SmartSplit's own
 * status (502 for them all, which Anthropic clients read as a plain api_error): every provider
 * rate-limited → rate_limit_error, only passing trouble → overloaded_error. Null for any other error.
 */
export function anthropicFailureType(error: unknown): AnthropicErrorType | null {
  if (error instanceof AllProvidersFailedError)
    return anthropicTypeForFailures(error.attempts.map((attempt) => attempt.kind))
  if (error instanceof UpstreamError && error.retryable) return anthropicTypeForFailures([error.kind])
  return null
}
