import { describe, expect, it } from 'vitest'
import { shouldReleaseHeldChunks } from './quality-gate-hold-back.js'

describe('shouldReleaseHeldChunks', () => {
  const refusalLike = { couldBecomeRefusal: true }
  const notRefusal = { couldBecomeRefusal: false }
  it.each([
    [{ heldChars: 0, heldMs: 0, sawToolCall: false, finished: false, ...refusalLike }, false],
    [{ heldChars: 199, heldMs: 499, sawToolCall: false, finished: false, ...refusalLike }, false],
    [{ heldChars: 200, heldMs: 0, sawToolCall: false, finished: false, ...refusalLike }, true],
    [{ heldChars: 10, heldMs: 500, sawToolCall: false, finished: false, ...refusalLike }, true],
    [{ heldChars: 0, heldMs: 1, sawToolCall: true, finished: false, ...refusalLike }, true],
    [{ heldChars: 3, heldMs: 1, sawToolCall: false, finished: true, ...refusalLike }, true],
    // An opening that cannot become a refusal is held 200 ms, not 500.
    [{ heldChars: 10, heldMs: 199, sawToolCall: false, finished: false, ...notRefusal }, false],
    [{ heldChars: 10, heldMs: 200, sawToolCall: false, finished: false, ...notRefusal }, true],
    [{ heldChars: 200, heldMs: 0, sawToolCall: false, finished: false, ...notRefusal }, true],
  ])('%j → %s', (input, expected) => {
    expect(shouldReleaseHeldChunks(input)).toBe(expected)
  })
})
