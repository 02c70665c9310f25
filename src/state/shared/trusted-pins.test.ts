import { describe, expect, it } from 'vitest'
import { TrustedPins } from './trusted-pins.js'

// Which conversations an instance may answer from its own copy: only what it read or wrote through
// Redis while following the moves, with no move or write of its own in between.

function followed(maxConversations = 10): TrustedPins {
  const trusted = new TrustedPins({ touchEveryMs: 1_000, maxConversations })
  trusted.following(true)
  return trusted
}

describe('TrustedPins', () => {
  it('trusts a conversation read through Redis while following the moves, until one moves it', () => {
    const trusted = followed()
    trusted.settle(trusted.watch('a'), true, 0)
    expect(trusted.isTrusted('a')).toBe(true)
    trusted.moved('a')
    expect(trusted.isTrusted('a')).toBe(false)
  })

  it('does not trust a read that a move overtook, nor one made while not following', () => {
    const trusted = followed()
    const read = trusted.watch('a')
    trusted.moved('a')
    trusted.settle(read, true, 0)
    expect(trusted.isTrusted('a')).toBe(false)

    const during = trusted.watch('b')
    trusted.following(false)
    trusted.following(true)
    trusted.settle(during, true, 0)
    expect(trusted.isTrusted('b')).toBe(false)
  })

  it('forgets everything when it stops following', () => {
    const trusted = followed()
    trusted.settle(trusted.watch('a'), true, 0)
    trusted.following(false)
    trusted.following(true)
    expect(trusted.isTrusted('a')).toBe(false)
  })

  it('says a read is overwritten when this instance began writing the pin meanwhile', () => {
    const trusted = followed()
    const read = trusted.watch('a')
    expect(trusted.isOverwritten(read)).toBe(false)
    trusted.writing('a')
    expect(trusted.isOverwritten(read)).toBe(true)
    trusted.settle(read, true, 0)
    expect(trusted.isTrusted('a')).toBe(false)
  })

  it('asks for one touch once the interval has passed since the last read, write or touch', () => {
    const trusted = followed()
    trusted.settle(trusted.watch('a'), true, 5_000)
    expect(trusted.takeTouch('a', 5_999)).toBe(false)
    expect(trusted.takeTouch('a', 6_000)).toBe(true)
    expect(trusted.takeTouch('a', 6_001)).toBe(false)
    expect(trusted.takeTouch('a', 7_000)).toBe(true)
    expect(trusted.takeTouch('untrusted', 7_000)).toBe(false)
  })

  it('remembers at most its bound, forgetting the oldest first', () => {
    const trusted = followed(2)
    for (const conversation of ['a', 'b', 'c']) trusted.settle(trusted.watch(conversation), true, 0)
    expect(['a', 'b', 'c'].map((conversation) => trusted.isTrusted(conversation))).toEqual([
      false,
      true,
      true,
    ])
  })
})
