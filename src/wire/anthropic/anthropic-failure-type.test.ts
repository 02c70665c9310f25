import { describe, expect, it } from 'vitest'
import {
  AllProvidersFailedError,
  type FailedAttempt,
  UpstreamError,
  type UpstreamFailureKind,
} from '../../errors.js'
import { anthropicFailureType, anthropicTypeForFailures } from './anthropic-failure-type.js'

const attempt = (kind: UpstreamFailureKind): FailedAttempt => ({
  provider: 'groq',
  model: 'm',
  kind,
  status: null,
  message: '',
  retryAfterMs: null,
})

describe('anthropicTypeForFailures', () => {
  it.each<[UpstreamFailureKind[], string]>([
    [['rate_limit', 'quota'], 'rate_limit_error'],
    [['quota'], 'rate_limit_error'],
    [['overloaded', 'overloaded'], 'overloaded_error'],
    [['timeout', 'network'], 'overloaded_error'],
    [['rate_limit', 'overloaded'], 'overloaded_error'],
    [['malformed', 'rate_limit'], 'overloaded_error'],
    [['auth', 'auth'], 'api_error'],
    [['rate_limit', 'auth'], 'api_error'],
    [['model_retired', 'overloaded'], 'api_error'],
    [[], 'api_error'],
  ])('%j → %s', (kinds, type) => {
    expect(anthropicTypeForFailures(kinds)).toBe(type)
  })
})

describe('anthropicFailureType', () => {
  it('reads the attempts of an exhausted request and the kind of one upstream failure', () => {
    const exhausted = new AllProvidersFailedError([attempt('overloaded'), attempt('timeout')])
    expect(anthropicFailureType(exhausted)).toBe('overloaded_error')
    expect(anthropicFailureType(new UpstreamError('x', { kind: 'rate_limit' }))).toBe('rate_limit_error')
  })

  it('leaves the client’s own mistakes and other errors to their status', () => {
    expect(anthropicFailureType(new UpstreamError('x', { kind: 'bad_request' }))).toBeNull()
    expect(anthropicFailureType(new Error('x'))).toBeNull()
  })
})
