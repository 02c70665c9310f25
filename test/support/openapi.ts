import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { parse } from 'yaml'

// Validates what SmartSplit emits against OpenAI's official OpenAPI spec, vendored in test/fixtures/spec,
// and what it sends Mistral against Mistral's (whose request schemas forbid unknown fields).
interface Spec {
  path: string
  /** Parsing a 3 MB YAML takes seconds and every test file that starts a fake needs it: the components,
   * already converted, are cached as JSON beside the dependencies and rebuilt when the spec changes. */
  cache: string
  id: string
  ajv?: Ajv2020
  validators: Map<string, ValidateFunction>
}

const specOf = (file: string, cacheName: string, id: string): Spec => ({
  path: fileURLToPath(new URL(`../fixtures/spec/${file}`, import.meta.url)),
  cache: fileURLToPath(new URL(`../../node_modules/.cache/smartsplit/${cacheName}`, import.meta.url)),
  id,
  validators: new Map(),
})
const OPENAI = specOf('openai-openapi.yaml', 'openai-components.json', 'openai')
const MISTRAL = specOf('mistral-openapi.yaml', 'mistral-components.json', 'mistral')

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

function isCacheFresh(spec: Spec): boolean {
  try {
    return statSync(spec.cache).mtimeMs >= statSync(spec.path).mtimeMs
  } catch {
    return false
  }
}

function loadComponents(spec: Spec): unknown {
  if (isCacheFresh(spec)) return JSON.parse(readFileSync(spec.cache, 'utf8')) as unknown
  const parsed = parse(readFileSync(spec.path, 'utf8')) as { components: unknown }
  const components = convertNullable(parsed.components)
  // Written aside and renamed: test files run in parallel workers and may build it at the same time.
  const partial = join(dirname(spec.cache), `${spec.id}-components.${process.pid}.json`)
  mkdirSync(dirname(spec.cache), { recursive: true })
  writeFileSync(partial, JSON.stringify(components))
  renameSync(partial, spec.cache)
  return components
}

function load(spec: Spec): Ajv2020 {
  if (spec.ajv !== undefined) return spec.ajv
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  ajv.addSchema({ $id: spec.id, components: loadComponents(spec) } as object)
  spec.ajv = ajv
  return ajv
}

function validatorOf(name: string, spec: Spec = OPENAI): ValidateFunction {
  let validate = spec.validators.get(name)
  if (validate === undefined) {
    validate = load(spec).compile({ $ref: `${spec.id}#/components/schemas/${name}` })
    spec.validators.set(name, validate)
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
export function schemaProblems(name: string, value: unknown, spec: Spec = OPENAI): SchemaProblem[] | null {
  const validate = validatorOf(name, spec)
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

/** The same against Mistral's spec (FIMCompletionRequest, EmbeddingRequest…). */
export function mistralSchemaProblems(name: string, value: unknown): SchemaProblem[] | null {
  return schemaProblems(name, value, MISTRAL)
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
