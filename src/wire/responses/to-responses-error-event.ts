import { toResponseError } from './to-response-error.js'
import type { ResponsesFailure, ResponsesSseEvent } from './types.js'

/**
 * A failure after the SSE stream opened but before response.created (all providers failed while
 * keep-alive comments held the connection) → the spec's `error` event. Once response.created went out,
 * the event writer reports failures as response.failed instead, carrying the partial Response. A failure
 * of SmartSplit's upstreams carries the code response.failed would (rate_limit_exceeded, server_error):
 * clients read those codes, not SmartSplit's own (all_providers_rate_limited).
 */
export function toResponsesErrorEvent(failure: ResponsesFailure, sequenceNumber: number): ResponsesSseEvent {
  const data = {
    type: 'error',
    sequence_number: sequenceNumber,
    code: failure.status === 429 || failure.status >= 500 ? toResponseError(failure).code : failure.code,
    message: failure.message,
    param: failure.param,
  }
  return { event: 'error', data: JSON.stringify(data) }
}
