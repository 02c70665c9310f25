import { describe, expect, it } from 'vitest'
import { SKIP_THOUGHT_SIGNATURE_VALIDATOR } from './skip-thought-signature-validator.js'
import { decodeToolCallId, encodeToolCallId } from './tool-call-id.js'

const SIGNATURE = 'CiQBjz1rX2Zm+/Q8lq4tZ0vJb3h5kQ=='

describe('tool-call ids carrying thought signatures', () => {
  it('round-trips a base64 signature without growing it, in the character set Anthropic allows', () => {
    const id = encodeToolCallId('call_abc123', SIGNATURE)
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(id.length).toBeLessThanOrEqual('call_abc123__thought__b'.length + SIGNATURE.length)
    expect(decodeToolCallId(id)).toEqual({ baseId: 'call_abc123', thoughtSignature: SIGNATURE })
  })

  it('round-trips signatures that are not canonical base64 (the skip sentinel, test values)', () => {
    for (const signature of [SKIP_THOUGHT_SIGNATURE_VALIDATOR, 'sig123', 'a b/c+=?é']) {
      const id = encodeToolCallId('call_x', signature)
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(decodeToolCallId(id).thoughtSignature).toBe(signature)
    }
  })

  it('leaves ids without a signature, and foreign ids, untouched', () => {
    expect(encodeToolCallId('call_1', undefined)).toBe('call_1')
    expect(encodeToolCallId('call_1', '')).toBe('call_1')
    for (const id of [
      'call_1',
      'toolu_01A09q90qw90lq917835lq9',
      'abc__thought__',
      'x__thought__zAAAA',
      '__thought__bAAAA',
    ]) {
      expect(decodeToolCallId(id)).toEqual({ baseId: id, thoughtSignature: null })
    }
  })
})
