import { describe, expect, it } from 'vitest'
import { sanitizeSchemaForGemini } from './sanitize-schema-for-gemini.js'

describe('sanitizeSchemaForGemini', () => {
  it('drops the keywords Gemini answers "Unknown name … Cannot find field" to', () => {
    expect(
      sanitizeSchemaForGemini({
        $schema: 'http://json-schema.org/draft-07/schema#',
        $id: 'x',
        $comment: 'y',
        type: 'object',
        additionalProperties: false,
        propertyNames: { pattern: '^a' },
        patternProperties: { '^x': {} },
        unevaluatedProperties: false,
        properties: {
          a: { type: 'integer', exclusiveMinimum: 0, examples: [1], default: 3, format: 'uint8' },
        },
      }),
    ).toEqual({ type: 'object', properties: { a: { type: 'integer' } } })
  })

  it('turns null unions and type arrays into nullable', () => {
    expect(
      sanitizeSchemaForGemini({
        anyOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }],
        description: 'd',
      }),
    ).toEqual({
      type: 'string',
      maxLength: 3,
      description: 'd',
      nullable: true,
    })
    expect(sanitizeSchemaForGemini({ type: ['string', 'null'] })).toEqual({ type: 'string', nullable: true })
    expect(sanitizeSchemaForGemini({ type: ['number', 'boolean', 'null'] })).toEqual({
      anyOf: [{ type: 'number' }, { type: 'boolean' }],
      nullable: true,
    })
  })

  it('turns const into a one-value string enum and stringifies enum values', () => {
    expect(sanitizeSchemaForGemini({ const: 'fixed' })).toEqual({ type: 'string', enum: ['fixed'] })
    expect(sanitizeSchemaForGemini({ type: 'integer', enum: [1, 2, null] })).toEqual({
      type: 'string',
      enum: ['1', '2'],
      nullable: true,
    })
  })

  it('inlines $ref from $defs and definitions, and cuts cycles to a bare object', () => {
    const schema = {
      type: 'object',
      properties: {
        root: { $ref: '#/$defs/Node' },
        other: { $ref: '#/definitions/Leaf' },
        lost: { $ref: 'https://x/y.json' },
      },
      $defs: {
        Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' }, value: { type: 'string' } } },
      },
      definitions: { Leaf: { type: 'boolean', description: 'leaf' } },
    }
    expect(sanitizeSchemaForGemini(schema)).toEqual({
      type: 'object',
      properties: {
        root: { type: 'object', properties: { next: { type: 'object' }, value: { type: 'string' } } },
        other: { type: 'boolean', description: 'leaf' },
        lost: { type: 'object' },
      },
    })
  })

  it('stops on deep but acyclic ref chains that would explode when inlined', () => {
    const defs: Record<string, unknown> = {}
    for (let i = 0; i < 40; i++)
      defs[`D${i}`] = {
        type: 'object',
        properties: { a: { $ref: `#/$defs/D${i + 1}` }, b: { $ref: `#/$defs/D${i + 1}` } },
      }
    defs.D40 = { type: 'string' }
    const result = sanitizeSchemaForGemini({ $ref: '#/$defs/D0', $defs: defs })
    expect(JSON.stringify(result).length).toBeLessThan(5_000_000)
  })

  it('keeps only the formats the Developer API accepts', () => {
    expect(sanitizeSchemaForGemini({ type: 'string', format: 'email' })).toEqual({ type: 'string' })
    expect(sanitizeSchemaForGemini({ type: 'string', format: 'date-time' })).toEqual({
      type: 'string',
      format: 'date-time',
    })
    expect(sanitizeSchemaForGemini({ type: 'number', format: 'double' })).toEqual({
      type: 'number',
      format: 'double',
    })
  })

  it('filters required to declared properties and drops empty property maps', () => {
    expect(sanitizeSchemaForGemini({ type: 'object', properties: {}, required: ['ghost'] })).toEqual({
      type: 'object',
    })
    expect(
      sanitizeSchemaForGemini({ type: 'object', properties: { a: {} }, required: ['a', 'ghost', 'a'] }),
    ).toEqual({
      type: 'object',
      properties: { a: {} },
      required: ['a'],
    })
  })

  it('merges allOf and treats oneOf as anyOf', () => {
    expect(
      sanitizeSchemaForGemini({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } } },
          { properties: { b: { type: 'number' } }, required: ['b'] },
        ],
      }),
    ).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      required: ['b'],
    })
    expect(
      sanitizeSchemaForGemini({
        oneOf: [{ type: 'string' }, { type: 'object', properties: { x: { type: 'string' } } }],
      }),
    ).toEqual({
      anyOf: [{ type: 'string' }, { type: 'object', properties: { x: { type: 'string' } } }],
    })
  })

  it('uses a title as description only when there is none', () => {
    expect(sanitizeSchemaForGemini({ type: 'string', title: 'Name' })).toEqual({
      type: 'string',
      description: 'Name',
    })
    expect(sanitizeSchemaForGemini({ type: 'string', title: 'Name', description: 'd' })).toEqual({
      type: 'string',
      description: 'd',
    })
  })
})

describe('sanitizeSchemaForGemini, given names every object inherits', () => {
  it('requires only properties the schema has, and resolves only its own pointers', () => {
    // Parsed, as a client's body is: "__proto__" is then an ordinary own key.
    const out = sanitizeSchemaForGemini(
      JSON.parse(
        '{"type":"object","properties":{"a":{"type":"string"},"__proto__":{"type":"number"}},"required":["a","toString","constructor","__proto__"],"propertyOrdering":["constructor","a","__proto__"]}',
      ),
    )
    expect(Object.keys(out.properties ?? {})).toEqual(['a', '__proto__'])
    expect(out.required).toEqual(['a', '__proto__'])
    expect(out.propertyOrdering).toEqual(['a', '__proto__'])
    expect(sanitizeSchemaForGemini({ $ref: '#/__proto__' })).toEqual({ type: 'object' })
    expect(sanitizeSchemaForGemini({ $ref: '#/constructor' })).toEqual({ type: 'object' })
  })
})
