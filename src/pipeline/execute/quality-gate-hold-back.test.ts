import { describe, expect, it } from 'vitest'
import { shouldReleaseHeldChunks } from './quality-gate-hold-back.js'

describe('shouldReleaseHeldChunks', () => {
  it.each([
    [{ heldChars: 0, heldMs: 0, sawToolCall: false, finished: false }, false],
    [{ heldChars: 199, heldMs: 499, sawToolCall: false, finished: false }, false],
    [{ heldChars: 200, heldMs: 0, sawToolCall: false, finished: false }, true],
    [{ heldChars: 10, heldMs: 500, sawToolCall: false, finished: false }, true],
    [{ heldChars: 0, heldMs: 1, sawToolCall: true, finished: false }, true],
    [{ heldChars: 3, heldMs: 1, sawToolCall: false, finished: true }, true],
  ])('%j → %s', (input, expected) => {
    expect(shouldReleaseHeldChunks(input)).toBe(expected)
  })
})
