import type { JsonObject } from '../openai/types.js'
import type { GeminiSchema } from './types.js'

// Gemini's `parameters` and `responseSchema` are an OpenAPI 3.0 subset parsed as a protobuf message: any
// other keyword fails the whole request with 400 `Invalid JSON payload received. Unknown name "const" at
// 'tools[0].function_declarations[5].parameters…': Cannot find field.` MCP servers and agent tools
// (zod-to-json-schema output) routinely carry $schema, additionalProperties, $ref/$defs, const,
// propertyNames, exclusiveMinimum, type arrays… so we rebuild every schema from what Gemini knows.

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object'
const JSON_TYPES = new Set<string>(['string', 'number', 'integer', 'boolean', 'array', 'object'])

// The Developer API rejects other formats ("uri", "email"…); Vertex is laxer, we target the strictest.
const ALLOWED_FORMATS: Record<string, readonly string[]> = {
  string: ['enum', 'date-time'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
}

const COPIED_NUMBERS = [
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
] as const

// Inlining $ref can grow a schema exponentially; past this depth we stop describing the shape.
const MAX_DEPTH = 24

interface Context {
  root: JsonObject
  /** $ref targets being expanded on the current path: a second visit is a cycle. */
  expanding: ReadonlySet<string>
  depth: number
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function resolvePointer(root: JsonObject, ref: string): JsonObject | undefined {
  if (ref === '#') return root
  if (!ref.startsWith('#/')) return undefined // remote refs: we never fetch
  let node: unknown = root
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    // Own properties only: "#/__proto__" must not reach Object.prototype.
    node = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined
  }
  return isObject(node) ? node : undefined
}

/** allOf members merged into one schema: properties and required united, other keys first-wins. */
function mergeAllOf(node: JsonObject): JsonObject {
  const { allOf, ...rest } = node
  if (!Array.isArray(allOf)) return node
  const merged: JsonObject = { ...rest }
  const properties: JsonObject = isObject(rest.properties) ? { ...rest.properties } : {}
  const required = new Set<unknown>(Array.isArray(rest.required) ? rest.required : [])
  for (const member of allOf) {
    if (!isObject(member)) continue
    if (isObject(member.properties)) Object.assign(properties, member.properties)
    if (Array.isArray(member.required)) for (const name of member.required) required.add(name)
    for (const [key, value] of Object.entries(member)) {
      const isTaken = Object.hasOwn(merged, key) || key === '__proto__'
      if (key !== 'properties' && key !== 'required' && !isTaken) merged[key] = value
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties
  if (required.size > 0) merged.required = [...required]
  return merged
}

function isNullSchema(node: unknown): boolean {
  return (
    isObject(node) &&
    (node.type === 'null' || (Array.isArray(node.enum) && node.enum.every((v) => v === null)))
  )
}

/** `anyOf`/`oneOf` with a null branch becomes `nullable`; a single remaining branch is inlined. */
function sanitizeUnion(node: JsonObject, branches: unknown[], context: Context): GeminiSchema {
  const isNullable = branches.some(isNullSchema)
  const kept = branches.filter((branch) => !isNullSchema(branch)).map((branch) => sanitize(branch, context))
  const { anyOf: _anyOf, oneOf: _oneOf, ...siblings } = node
  const base = sanitize(siblings, context)
  let result: GeminiSchema
  const isEnumChoice =
    kept.length > 1 && kept.every((branch) => branch.enum !== undefined && branch.anyOf === undefined)
  if (isEnumChoice) {
    // oneOf [{const: 1, title}, {const: 2, title}…] (pydantic/zod enums): one enum reads better than anyOf.
    result = { ...base, type: 'string', enum: [...new Set(kept.flatMap((branch) => branch.enum ?? []))] }
    const labels = kept
      .filter((b) => b.description !== undefined)
      .map((b) => `${b.enum?.join('/')}: ${b.description}`)
    if (result.description === undefined && labels.length > 0) result.description = labels.join('; ')
  } else if (kept.length === 1) result = { ...kept[0], ...base }
  else if (kept.length === 0) result = base
  else result = { ...base, anyOf: kept }
  if (isNullable) result.nullable = true
  return result
}

/** JSON Schema types: `["string","null"]` → type + nullable; several real types → anyOf. */
function readType(raw: unknown): { types: JsonType[]; isNullable: boolean } {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
  const types = list.filter((t): t is JsonType => typeof t === 'string' && JSON_TYPES.has(t))
  return { types, isNullable: list.includes('null') }
}

function sanitizeObjectKeywords(node: JsonObject, context: Context, out: GeminiSchema): void {
  if (isObject(node.properties)) {
    // Built from entries: a parameter named "__proto__" is then an own property like any other.
    const properties: Record<string, GeminiSchema> = Object.fromEntries(
      Object.entries(node.properties).map(([name, child]) => [name, sanitize(child, context)]),
    )
    // Gemini answers "properties: should be non-empty for OBJECT type" to an explicit empty map.
    if (Object.keys(properties).length > 0) out.properties = properties
    // …and "required[0]: property is not defined" to names missing from properties.
    const required = Array.isArray(node.required)
      ? node.required.filter(
          (name): name is string => typeof name === 'string' && Object.hasOwn(properties, name),
        )
      : []
    if (required.length > 0) out.required = [...new Set(required)]
  }
  if (node.items !== undefined) {
    // Tuple form (items: [...]) has no Gemini equivalent: the first member describes them all.
    const items = Array.isArray(node.items) ? node.items[0] : node.items
    if (items !== undefined) out.items = sanitize(items, context)
  } else if (Array.isArray(node.prefixItems) && node.prefixItems.length > 0) {
    out.items = sanitize(node.prefixItems[0], context)
  }
}

function sanitizeEnum(node: JsonObject, out: GeminiSchema): void {
  const values = node.const !== undefined ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined
  if (values === undefined) return
  if (values.includes(null)) out.nullable = true
  const strings = values.filter((v) => v !== null).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
  if (strings.length === 0) return
  // The Developer API allows enum on STRING only ("enum: only allowed for STRING type").
  out.type = 'string'
  out.enum = [...new Set(strings)]
  delete out.format
}

function sanitize(input: unknown, parent: Context): GeminiSchema {
  // `true`, `{}` and anything unreadable mean "any value": Gemini's closest is a schema with no type.
  if (!isObject(input) || parent.depth > MAX_DEPTH) return {}
  const context: Context = { ...parent, depth: parent.depth + 1 }
  const node = mergeAllOf(input)

  if (typeof node.$ref === 'string') {
    const ref = node.$ref
    const target = context.expanding.has(ref) ? undefined : resolvePointer(context.root, ref)
    const { $ref: _ref, ...siblings } = node
    if (target === undefined) {
      // A cycle (a tree node whose children are tree nodes) or an unresolvable ref: keep it loose.
      return { type: 'object', ...sanitize(siblings, context) }
    }
    const expanding = new Set(context.expanding).add(ref)
    return { ...sanitize(target, { ...context, expanding }), ...sanitize(siblings, context) }
  }

  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined
  if (union !== undefined) return sanitizeUnion(node, union, context)

  const { types, isNullable } = readType(node.type)
  if (types.length > 1) {
    // Each branch keeps the keywords that apply to its own type (items for array, properties for object…).
    const { type: _type, description, ...siblings } = node
    const result: GeminiSchema = { anyOf: types.map((type) => sanitize({ ...siblings, type }, context)) }
    if (typeof description === 'string' && description !== '') result.description = description
    if (isNullable) result.nullable = true
    return result
  }

  const out: GeminiSchema = {}
  const type = types[0]
  if (type !== undefined) out.type = type
  if (isNullable || node.nullable === true) out.nullable = true
  if (typeof node.description === 'string' && node.description !== '') out.description = node.description
  else if (typeof node.title === 'string' && node.title !== '') out.description = node.title
  if (typeof node.format === 'string' && type !== undefined && ALLOWED_FORMATS[type]?.includes(node.format)) {
    out.format = node.format
  }
  for (const key of COPIED_NUMBERS) {
    const value = node[key]
    if (typeof value === 'number' && Number.isFinite(value)) out[key] = value
  }
  if (typeof node.pattern === 'string' && type === 'string') out.pattern = node.pattern
  sanitizeEnum(node, out)
  sanitizeObjectKeywords(node, context, out)
  if (Array.isArray(node.propertyOrdering) && out.properties !== undefined) {
    const names = out.properties
    out.propertyOrdering = node.propertyOrdering.filter(
      (n): n is string => typeof n === 'string' && Object.hasOwn(names, n),
    )
  }
  return out
}

/**
 * A JSON Schema (draft-07 / 2020-12, as MCP servers and OpenAI clients send them) rewritten to the subset
 * Gemini accepts. Dropped: $schema, $id, $comment, additionalProperties, propertyNames, patternProperties,
 * unevaluatedProperties, examples, default (Gemini ignores it), exclusive bounds, title (kept as description
 * when there is none), unsupported formats. Rewritten: $ref/$defs/definitions inlined (cycles cut to a bare
 * object), allOf merged, oneOf → anyOf, null branches and type arrays → nullable, const → enum, enum values
 * stringified.
 */
export function sanitizeSchemaForGemini(schema: JsonObject): GeminiSchema {
  return sanitize(schema, { root: schema, expanding: new Set(), depth: 0 })
}
