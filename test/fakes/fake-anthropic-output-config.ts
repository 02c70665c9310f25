// output_config as the real Messages API checks it: only `format` (json_schema, with a schema) and
// `effort`, and a schema inside the structured-outputs subset. Anthropic answers 400 to an object without
// `additionalProperties: false` (wording from its error bodies, reported in public issues) and to value
// constraints it cannot enforce (the structured-outputs docs list them; that wording is the fake's own).

type Json = Record<string, unknown>

const REFUSED = [
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
]
const FORMATS = new Set([
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
const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max'])
const PATH = 'output_config.format.schema'

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function checkObjectNode(node: Json): string | null {
  const isObject =
    node.type === 'object' ||
    (Array.isArray(node.type) && node.type.includes('object')) ||
    isRecord(node.properties)
  if (!isObject || node.additionalProperties === false) return null
  if (node.additionalProperties === undefined)
    return `${PATH}: For 'object' type, 'additionalProperties' must be explicitly set to false`
  return `${PATH}: For 'object' type, 'additionalProperties: ${JSON.stringify(node.additionalProperties)}' is not supported. Please set 'additionalProperties' to false`
}

function childrenOf(node: Json): unknown[] {
  const children: unknown[] = []
  for (const key of ['properties', '$defs', 'definitions'])
    if (isRecord(node[key])) children.push(...Object.values(node[key]))
  for (const key of ['anyOf', 'allOf', 'oneOf', 'prefixItems'])
    if (Array.isArray(node[key])) children.push(...node[key])
  if (node.items !== undefined) children.push(node.items)
  return children
}

function checkSchema(node: unknown): string | null {
  if (!isRecord(node)) return null
  const refused = REFUSED.find((key) => key in node)
  if (refused !== undefined) return `${PATH}: '${refused}' is not supported in structured outputs`
  if (node.minItems !== undefined && node.minItems !== 0 && node.minItems !== 1)
    return `${PATH}: 'minItems' values other than 0 or 1 are not supported`
  if (node.format !== undefined && !FORMATS.has(String(node.format)))
    return `${PATH}: format '${String(node.format)}' is not supported`
  const problem = checkObjectNode(node)
  if (problem !== null) return problem
  for (const child of childrenOf(node)) {
    const inner = checkSchema(child)
    if (inner !== null) return inner
  }
  return null
}

/** The 400 message the real API would send for this output_config, or null when it is accepted. */
export function checkOutputConfig(config: unknown): string | null {
  if (config === undefined) return null
  if (!isRecord(config)) return 'output_config: Input should be a valid dictionary'
  for (const key of Object.keys(config))
    if (key !== 'format' && key !== 'effort') return `output_config.${key}: Extra inputs are not permitted`
  if (config.effort !== undefined && !EFFORTS.has(String(config.effort)))
    return "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'"
  const format = config.format
  if (format === undefined || format === null) return null
  if (!isRecord(format)) return 'output_config.format: Input should be a valid dictionary'
  for (const key of Object.keys(format))
    if (key !== 'type' && key !== 'schema')
      return `output_config.format.${key}: Extra inputs are not permitted`
  if (format.type !== 'json_schema') return "output_config.format.type: Input should be 'json_schema'"
  if (!isRecord(format.schema)) return 'output_config.format.schema: Field required'
  return checkSchema(format.schema)
}
