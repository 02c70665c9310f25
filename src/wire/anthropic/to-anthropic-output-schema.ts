import type { JsonObject } from '../openai/types.js'

// Anthropic's structured outputs take a subset of JSON Schema and answer 400 to the rest ("If you use an
// unsupported feature, you'll receive a 400 error with details", structured-outputs docs): every object
// must say `additionalProperties: false`, and value constraints (numeric bounds, string lengths, array
// sizes beyond minItems 0 or 1, unknown string formats) are refused. Anthropic's own SDKs rewrite a
// schema the same way before sending it (transformJSONSchema in @anthropic-ai/sdk): a constraint that
// cannot be enforced is moved into the description, where the model still reads it.

const VALUE_CONSTRAINTS = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'maxItems',
  'minProperties',
  'maxProperties',
])
const SUPPORTED_FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'uri',
  'ipv4',
  'ipv6',
  'uuid',
])
const SCHEMA_MAPS = ['properties', '$defs', 'definitions'] as const
const SCHEMA_LISTS = ['anyOf', 'allOf', 'prefixItems'] as const

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function isObjectSchema(schema: JsonObject): boolean {
  const type = schema.type
  return type === 'object' || (Array.isArray(type) && type.includes('object')) || isObject(schema.properties)
}

/** Whether a keyword is one Anthropic refuses, so that it must travel as description text instead. */
function isRefused(key: string, value: unknown): boolean {
  if (VALUE_CONSTRAINTS.has(key)) return true
  if (key === 'minItems') return value !== 0 && value !== 1
  if (key === 'format') return typeof value !== 'string' || !SUPPORTED_FORMATS.has(value)
  // An object's extra keys may not be described by a schema: only `false` is accepted.
  return key === 'additionalProperties'
}

function mapValues(map: unknown): unknown {
  if (!isObject(map)) return map
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, transform(value)]))
}

function transform(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(transform)
  return isObject(schema) ? transformObject(schema) : schema
}

function transformObject(schema: JsonObject): JsonObject {
  const out: JsonObject = {}
  const moved: string[] = []
  for (const [key, value] of Object.entries(schema)) {
    if (isRefused(key, value)) {
      if (!(key === 'additionalProperties' && value === false)) moved.push(`${key}: ${JSON.stringify(value)}`)
    } else if (key === 'oneOf') out.anyOf = transform(value)
    else if ((SCHEMA_MAPS as readonly string[]).includes(key)) out[key] = mapValues(value)
    else if ((SCHEMA_LISTS as readonly string[]).includes(key) || key === 'items') out[key] = transform(value)
    else out[key] = value
  }
  if (isObjectSchema(schema)) out.additionalProperties = false
  if (moved.length > 0) {
    const note = `{${moved.join(', ')}}`
    out.description = typeof out.description === 'string' ? `${out.description}\n\n${note}` : note
  }
  return out
}

/**
 * A client's JSON Schema → one Anthropic's structured outputs accept: objects closed with
 * `additionalProperties: false`, `oneOf` as `anyOf` (the unions Anthropic takes are anyOf and allOf),
 * refused constraints written into the description. Depth is bounded before this runs (the HTTP layer's
 * request-shape limits).
 */
export function toAnthropicOutputSchema(schema: JsonObject): JsonObject {
  return transformObject(schema)
}
