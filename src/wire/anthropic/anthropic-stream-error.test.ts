import { describe, expect, it } from 'vitest'
import { anthropicStreamError } from './anthropic-stream-error.js'

describe('anthropicStreamError', () => {
  it('reads the kind from the status Anthropic pairs with the type', () => {
    expect(anthropicStreamError('overloaded_error', 'busy').kind).toBe('overloaded')
    expect(anthropicStreamError('rate_limit_error', 'slow down').kind).toBe('rate_limit')
  })

  it.each(['constructor', 'toString', '__proto__'])(
    'treats an unknown type "%s" as a server error',
    (type) => {
      expect(anthropicStreamError(type, 'odd').kind).toBe('overloaded')
    },
  )
})
