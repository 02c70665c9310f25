import { describe, expect, it } from 'vitest'
import { createMemoryConversationPins } from './conversation-pins.js'

const MINUTE = 60_000
const groq = { provider: 'groq', model: 'openai/gpt-oss-120b', keyIndex: 1 }
const gemini = { provider: 'gemini', model: 'gemini-3.8-flash', keyIndex: 0 }

describe('memory conversation pins', () => {
  it('remembers a pin while the conversation keeps talking, and forgets it after the idle time', async () => {
    const pins = createMemoryConversationPins({ idleMs: 30 * MINUTE, maxConversations: 10 })
    await pins.set('c1', groq, 0)
    expect(await pins.get('c1', 29 * MINUTE)).toEqual(groq)
    // Each use restarts the idle time.
    expect(await pins.get('c1', 58 * MINUTE)).toEqual(groq)
    expect(await pins.get('c1', 88 * MINUTE)).toBeNull()
    expect(pins.size).toBe(0)
  })

  it('moves a pin, and hands out copies the caller cannot change', async () => {
    const pins = createMemoryConversationPins({ idleMs: 30 * MINUTE, maxConversations: 10 })
    await pins.set('c1', groq, 0)
    await pins.set('c1', gemini, 1)
    const pin = await pins.get('c1', 2)
    expect(pin).toEqual(gemini)
    pin!.keyIndex = 7
    expect(await pins.get('c1', 3)).toEqual(gemini)
  })

  it('stays bounded: the least recently used conversation goes first', async () => {
    const pins = createMemoryConversationPins({ idleMs: 30 * MINUTE, maxConversations: 3 })
    for (const [index, key] of ['a', 'b', 'c'].entries()) await pins.set(key, groq, index)
    await pins.get('a', 10) // a is now the most recent
    await pins.set('d', gemini, 11)
    expect(pins.size).toBe(3)
    expect(await pins.get('b', 12)).toBeNull()
    expect(await pins.get('a', 12)).toEqual(groq)
    expect(await pins.get('d', 12)).toEqual(gemini)
  })

  it('lets expired conversations go without being asked for again', async () => {
    const pins = createMemoryConversationPins({ idleMs: MINUTE, maxConversations: 1_000 })
    for (let i = 0; i < 3; i++) await pins.set(`old${i}`, groq, 0)
    await pins.set('new', gemini, 2 * MINUTE)
    await pins.get('new', 2 * MINUTE)
    expect(pins.size).toBe(1)
  })

  it('keeps each conversation its own target through growth, eviction and reuse of freed room', async () => {
    const targetOf = (i: number) => ({ provider: `p${i % 7}`, model: `m${i % 5}`, keyIndex: i % 3 })
    const pins = createMemoryConversationPins({ idleMs: 30 * MINUTE, maxConversations: 1_000 })
    for (let i = 0; i < 3_000; i++) await pins.set(`c${i}`, targetOf(i), i)
    expect(pins.size).toBe(1_000)
    expect(await pins.get('c1999', 3_000)).toBeNull()
    for (let i = 2_000; i < 3_000; i += 37) expect(await pins.get(`c${i}`, 3_001)).toEqual(targetOf(i))
    // Expired ones make room too: new conversations take it over without mixing up targets.
    for (let i = 0; i < 500; i++) await pins.set(`n${i}`, targetOf(i + 1), 31 * MINUTE + i)
    for (let i = 0; i < 500; i += 23)
      expect(await pins.get(`n${i}`, 31 * MINUTE + 600)).toEqual(targetOf(i + 1))
  })
})
