import { describe, expect, it } from 'vitest'
import { toAnthropicErrorBody } from './to-anthropic-error-body.js'

describe('toAnthropicErrorBody', () => {
  it('keeps shared type names and derives the rest from the status', () => {
    expect(toAnthropicErrorBody(400, 'invalid_request_error', 'bad')).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'bad' },
    })
    expect(toAnthropicErrorBody(502, 'upstream_error', 'x').error.type).toBe('api_error')
    expect(toAnthropicErrorBody(503, 'service_unavailable', 'x').error.type).toBe('overloaded_error')
    expect(toAnthropicErrorBody(429, 'whatever', 'x').error.type).toBe('rate_limit_error')
    expect(toAnthropicErrorBody(402, 'server_error', 'x').error.type).toBe('billing_error')
    expect(toAnthropicErrorBody(418, 'server_error', 'x').error.type).toBe('invalid_request_error')
  })
})
