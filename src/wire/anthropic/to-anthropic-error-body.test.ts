import { describe, expect, it } from 'vitest'
import { AllProvidersFailedError, InvalidRequestError, UpstreamError } from '../../errors.js'
import { toAnthropicErrorBody } from './to-anthropic-error-body.js'
import { toAnthropicErrorEvent } from './to-anthropic-error-event.js'

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

describe('toAnthropicErrorEvent', () => {
  const errorTypeOf = (error: unknown): string => JSON.parse(toAnthropicErrorEvent(error).data).error.type

  it('writes an error event whose data names the Anthropic error type', () => {
    const event = toAnthropicErrorEvent(new UpstreamError('boom', { kind: 'overloaded' }))
    expect(event.event).toBe('error')
    expect(JSON.parse(event.data)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'boom' },
    })
  })

  it('maps failure kinds and SmartSplit errors, hiding foreign messages', () => {
    expect(errorTypeOf(new UpstreamError('x', { kind: 'rate_limit' }))).toBe('rate_limit_error')
    expect(errorTypeOf(new UpstreamError('x', { kind: 'bad_request' }))).toBe('invalid_request_error')
    expect(errorTypeOf(new UpstreamError('x', { kind: 'auth' }))).toBe('api_error')
    expect(errorTypeOf(new InvalidRequestError('x'))).toBe('invalid_request_error')
    expect(errorTypeOf(new AllProvidersFailedError([]))).toBe('api_error')
    const foreign = JSON.parse(toAnthropicErrorEvent(new Error('db password is hunter2')).data)
    expect(foreign).toEqual({ type: 'error', error: { type: 'api_error', message: 'Internal server error' } })
  })
})
