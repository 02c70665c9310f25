import { afterEach, describe, expect, it, vi } from 'vitest'
import { ManualClock } from '../../lib/clock.js'
import type { ChatChunk } from '../../wire/openai/types.js'
import { peekAnswer } from './peek-answer.js'

const chunk = (content: string): ChatChunk =>
  ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  }) as ChatChunk

/** A stream that hands out `chunks` as they are asked for, then never answers again. */
function stream(chunks: ChatChunk[]): AsyncIterable<ChatChunk> {
  let at = 0
  return {
    [Symbol.asyncIterator]: () => ({
      next: () =>
        at < chunks.length
          ? Promise.resolve({ done: false, value: chunks[at++]! })
          : new Promise<IteratorResult<ChatChunk>>(() => {}),
    }),
  }
}

afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

describe('peekAnswer', () => {
  it('holds an opening that could be a refusal until the 500 ms limit, then hands the pending read on', async () => {
    vi.useFakeTimers()
    const clock = new ManualClock(0)
    const peeking = peekAnswer(stream([chunk("I'm sorry"), chunk(',')]), clock, true, 'groq')
    let settled = false
    void peeking.then(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(499)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const peeked = await peeking
    expect(peeked.text).toBe("I'm sorry,")
    expect(peeked.head).toHaveLength(2)
  })

  it('times the whole hold with one timer, not one per chunk read', async () => {
    vi.useFakeTimers()
    const setTimer = vi.spyOn(globalThis, 'setTimeout')
    // Fifty one-character chunks of an opening that stays a possible refusal, under the 200 characters
    // that would end the hold: a provider streaming a token per chunk.
    const opening = `I'm sorry, ${'x'.repeat(39)}`
    const letters = opening.split('').map(chunk)
    const peeking = peekAnswer(stream(letters), new ManualClock(0), true, 'groq')
    await vi.advanceTimersByTimeAsync(500)
    const peeked = await peeking
    expect(peeked.text).toBe(opening)
    expect(peeked.head).toHaveLength(50)
    expect(setTimer.mock.calls.length).toBeLessThanOrEqual(2)
  })

  it('needs no timer at all when the gate does not hold the opening', async () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout')
    const peeked = await peekAnswer(
      stream([chunk('Hello'), chunk(' world')]),
      new ManualClock(0),
      false,
      'groq',
    )
    expect(peeked.text).toBe('Hello')
    expect(setTimer).not.toHaveBeenCalled()
  })
})
