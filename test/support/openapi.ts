import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { parse } from 'yaml'

// Validates what SmartSplit emits against OpenAI's official OpenAPI spec, vendored in test/fixtures/spec.
const SPEC_PATH = fileURLToPath(new URL('../fixtures/spec/openai-openapi.yaml', import.meta.url))

let ajv: Ajv2020 | undefined
const validators = new Map<string, ValidateFunction>()

// The spec still carries OpenAPI 3.0's `nullable` in places; JSON Schema 2020-12 spells it as a null type.
function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable)
  if (node === null || typeof node !== 'object') return node
  const { nullable, ...rest } = node as Record<string, unknown>
  const converted: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(rest)) converted[key] = convertNullable(value)
  if (nullable !== true) return converted
  if (Array.isArray(converted.enum) && !converted.enum.includes(null))
    converted.enum = [...converted.enum, null]
  if (typeof converted.type === 'string') return { ...converted, type: [converted.type, 'null'] }
  if (Array.isArray(converted.type)) return { ...converted, type: [...converted.type, 'null'] }
  return { anyOf: [converted, { type: 'null' }] }
}

function load(): Ajv2020 {
  if (ajv !== undefined) return ajv
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as { components: { schemas: Record<string, unknown> } }
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ $id: 'openai', components: convertNullable(spec.components) } as object)
  return ajv
}

/** Throws with the validation errors when `value` does not match `components.schemas[name]`. */
export function assertMatchesSchema(name: string, value: unknown): void {
  let validate = validators.get(name)
  if (validate === undefined) {
    validate = load().compile({ $ref: `openai#/components/schemas/${name}` })
    validators.set(name, validate)
  }
  if (!validate(value)) {
    throw new Error(
      `${name} validation failed: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}\nvalue: ${JSON.stringify(value).slice(0, 2000)}`,
    )
  }
}
