import { describe, expect, it } from 'vitest'
import { SseDecoder, SseEventTooLargeError } from './sse.js'

describe('SseDecoder', () => {
  it('decodes events split across pieces, with any line ending', () => {
    const decoder = new SseDecoder({ maxEventChars: 1_000 })
    expect(decoder.feed('data: {"a":')).toEqual([])
    expect(decoder.feed('1}\r\n\r\nevent: x\rdata: 2\r\r: comment\n\ndata: last')).toEqual([
      { event: undefined, data: '{"a":1}' },
      { event: 'x', data: '2' },
    ])
    expect(decoder.end()).toEqual([{ event: undefined, data: 'last' }])
  })

  it('accepts an event of exactly the limit', () => {
    const decoder = new SseDecoder({ maxEventChars: 100 })
    const data = 'x'.repeat(94) // "data: " + 94 = 100 characters before the line ends
    expect(decoder.feed(`data: ${data}\n\n`)).toEqual([{ event: undefined, data }])
  })

  it('refuses one data line that never ends, however it arrives', () => {
    const decoder = new SseDecoder({ maxEventChars: 1_000 })
    expect(() => {
      for (let i = 0; i < 100; i++) decoder.feed(i === 0 ? 'data: ' : 'y'.repeat(64))
    }).toThrow(SseEventTooLargeError)
  })

  it('refuses data lines that never meet a blank line', () => {
    const decoder = new SseDecoder({ maxEventChars: 1_000 })
    const line = `data: ${JSON.stringify({ choices: [{ delta: { content: 'ab' } }] })}\n`
    expect(() => {
      for (let i = 0; i < 100; i++) decoder.feed(line)
    }).toThrow(/larger than 1000 characters/)
  })

  it('refuses an oversized event arriving in one piece', () => {
    const decoder = new SseDecoder({ maxEventChars: 1_000 })
    expect(() => decoder.feed(`data: ${'z'.repeat(5_000)}`)).toThrow(SseEventTooLargeError)
  })
})
