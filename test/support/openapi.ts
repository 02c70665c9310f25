import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { parse } from 'yaml'

// Validates what SmartSplit emits against OpenAI's official OpenAPI spec, vendored in test/fixtures/spec.
const SPEC_PATH = fileURLToPath(new URL('../fixtures/spec/openai-openapi.yaml', import.meta.url))
// Parsing the 3 MB YAML takes seconds and every test file that starts a fake needs it: the components,
// already converted, are cached as JSON beside the dependencies and rebuilt when the spec changes.
const CACHE_PATH = fileURLToPath(
  new URL('../../node_modules/.cache/smartsplit/openai-components.json', import.meta.url),
)

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

function isCacheFresh(): boolean {
  try {
    return statSync(CACHE_PATH).mtimeMs >= statSync(SPEC_PATH).mtimeMs
  } catch {
    return false
  }
}

function loadComponents(): unknown {
  if (isCacheFresh()) return JSON.parse(readFileSync(CACHE_PATH, 'utf8')) as unknown
  const spec = parse(readFileSync(SPEC_PATH, 'utf8')) as { components: unknown }
  const components = convertNullable(spec.components)
  // Written aside and renamed: test files run in parallel workers and may build it at the same time.
  const partial = join(dirname(CACHE_PATH), `openai-components.${process.pid}.json`)
  mkdirSync(dirname(CACHE_PATH), { recursive: true })
  writeFileSync(partial, JSON.stringify(components))
  renameSync(partial, CACHE_PATH)
  return components
}

function load(): Ajv2020 {
  if (ajv !== undefined) return ajv
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ $id: 'openai', components: loadComponents() } as object)
  return ajv
}

function validatorOf(name: string): ValidateFunction {
  let validate = validators.get(name)
  if (validate === undefined) {
    validate = load().compile({ $ref: `openai#/components/schemas/${name}` })
    validators.set(name, validate)
  }
  return validate
}

export interface SchemaProblem {
  /** JSON pointer of the offending value, e.g. `/messages/1`. */
  path: string
  /** The missing property, for a `required` failure. */
  missing: string | null
  message: string
}

/** The first problems with `value` against `components.schemas[name]`, or null when it matches. */
export function schemaProblems(name: string, value: unknown): SchemaProblem[] | null {
  const validate = validatorOf(name)
  if (validate(value)) return null
  return (validate.errors ?? []).map((error) => ({
    path: error.instancePath,
    missing:
      error.keyword === 'required'
        ? String((error.params as { missingProperty?: string }).missingProperty)
        : null,
    message: error.message ?? 'is invalid',
  }))
}

/** Throws with the validation errors when `value` does not match `components.schemas[name]`. */
export function assertMatchesSchema(name: string, value: unknown): void {
  const validate = validatorOf(name)
  if (!validate(value)) {
    throw new Error(
      `${name} validation failed: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}\nvalue: ${JSON.stringify(value).slice(0, 2000)}`,
    )
  }
}
