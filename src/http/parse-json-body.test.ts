import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../errors.js'
import { MAX_JSON_DEPTH, parseJsonBody } from './parse-json-body.js'

const nested = (depth: number, open = '[', close = ']'): string => open.repeat(depth) + close.repeat(depth)
const parse = (text: string): unknown => parseJsonBody(Buffer.from(text))

describe('parseJsonBody', () => {
  it('accepts nesting up to the limit, in arrays, objects and both', () => {
    expect(() => parse(nested(MAX_JSON_DEPTH))).not.toThrow()
    const objects = `${'{"a":'.repeat(MAX_JSON_DEPTH - 1)}{}${'}'.repeat(MAX_JSON_DEPTH - 1)}`
    expect(() => parse(objects)).not.toThrow()
    const mixed = `${'[{"a":'.repeat(MAX_JSON_DEPTH / 2 - 1)}[{}]${'}]'.repeat(MAX_JSON_DEPTH / 2 - 1)}`
    expect(() => parse(mixed)).not.toThrow()
  })

  it('refuses one level more, wherever the deep branch sits', () => {
    for (const text of [
      nested(MAX_JSON_DEPTH + 1),
      `{"messages":[1,"x",{"deep":${nested(MAX_JSON_DEPTH - 1)}}]}`,
      `[[],{"a":{}},${nested(MAX_JSON_DEPTH)}]`,
    ]) {
      let error: unknown
      try {
        parse(text)
      } catch (caught) {
        error = caught
      }
      expect(error).toBeInstanceOf(InvalidRequestError)
      expect((error as InvalidRequestError).code).toBe('too_deeply_nested')
    }
  })

  it('refuses a hostile nesting without overflowing the stack', () => {
    expect(() => parse(nested(200_000))).toThrow(/nests deeper than 64 levels/)
  })

  it('counts brackets inside strings as text, not nesting', () => {
    const value = parse(JSON.stringify({ content: nested(500), tricky: '\\"[[[' }))
    expect(value).toEqual({ content: nested(500), tricky: '\\"[[[' })
  })

  it('parses scalars and empty bodies, and refuses text that is not JSON', () => {
    expect(parse('42')).toBe(42)
    expect(parseJsonBody(Buffer.alloc(0))).toBeUndefined()
    expect(() => parse('{"a":')).toThrow(/not valid JSON/)
  })
})
