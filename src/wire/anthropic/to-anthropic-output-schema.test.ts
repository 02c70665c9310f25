import { describe, expect, it } from 'vitest'
import { toAnthropicOutputSchema } from './to-anthropic-output-schema.js'

describe('toAnthropicOutputSchema', () => {
  it('closes every object, nested ones and $defs included', () => {
    const schema = toAnthropicOutputSchema({
      type: 'object',
      properties: {
        city: { type: 'string' },
        where: { type: 'object', properties: { lat: { type: 'number' } }, additionalProperties: true },
        stops: { type: 'array', items: { $ref: '#/$defs/stop' } },
      },
      required: ['city'],
      $defs: { stop: { type: 'object', properties: { name: { type: 'string' } } } },
    })
    expect(schema).toEqual({
      type: 'object',
      properties: {
        city: { type: 'string' },
        where: {
          type: 'object',
          properties: { lat: { type: 'number' } },
          additionalProperties: false,
          description: '{additionalProperties: true}',
        },
        stops: { type: 'array', items: { $ref: '#/$defs/stop' } },
      },
      required: ['city'],
      $defs: {
        stop: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
      },
      additionalProperties: false,
    })
  })

  it('moves refused constraints into the description and keeps the supported ones', () => {
    const schema = toAnthropicOutputSchema({
      type: 'object',
      properties: {
        score: { type: 'integer', minimum: 1, maximum: 10, description: 'A mark.' },
        tags: { type: 'array', items: { type: 'string', maxLength: 20 }, minItems: 1, maxItems: 5 },
        when: { type: 'string', format: 'date-time' },
        colour: { type: 'string', format: 'hex-color', enum: ['#fff', '#000'] },
      },
      additionalProperties: false,
    })
    expect(schema.properties).toEqual({
      score: { type: 'integer', description: 'A mark.\n\n{minimum: 1, maximum: 10}' },
      tags: {
        type: 'array',
        items: { type: 'string', description: '{maxLength: 20}' },
        minItems: 1,
        description: '{maxItems: 5}',
      },
      when: { type: 'string', format: 'date-time' },
      colour: { type: 'string', enum: ['#fff', '#000'], description: '{format: "hex-color"}' },
    })
  })

  it('turns oneOf into anyOf and closes the objects inside unions', () => {
    const schema = toAnthropicOutputSchema({
      oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'null' }],
    })
    expect(schema).toEqual({
      anyOf: [
        { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false },
        { type: 'null' },
      ],
    })
  })

  it('leaves the client schema untouched', () => {
    const input = { type: 'object', properties: { n: { type: 'number', minimum: 0 } } }
    const copy = structuredClone(input)
    toAnthropicOutputSchema(input)
    expect(input).toEqual(copy)
  })
})
