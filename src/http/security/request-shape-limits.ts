import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../../errors.js'
import { sendRejection } from './send-rejection.js'

/** How many of each user-sized thing one request may hold (server.max_*). */
export interface RequestShapeLimits {
  maxContentParts: number
  maxTools: number
  maxToolProperties: number
  maxMetadataKeys: number
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const lengthOf = (value: unknown): number => (Array.isArray(value) ? value.length : 0)

/**
 * Content parts across the conversation: each message's (or Responses item's) `content` array, a tool
 * result's own `content` array inside it (Anthropic), a function call output's `output` array
 * (Responses) and Anthropic's `system` blocks. Stops counting once past `limit`.
 */
function countContentParts(body: Json, limit: number): number {
  let count = lengthOf(body.system)
  for (const item of [body.messages, body.input].flatMap((list) => (Array.isArray(list) ? list : []))) {
    if (!isObject(item)) continue
    count += lengthOf(item.content) + lengthOf(item.output)
    if (count > limit) return count
    if (!Array.isArray(item.content)) continue
    for (const part of item.content) if (isObject(part)) count += lengthOf(part.content)
    if (count > limit) return count
  }
  return count
}

/** Keys of every `properties` object in a JSON Schema, nested ones included; stops once past `limit`. */
function countSchemaProperties(schema: unknown, limit: number, counted = 0): number {
  let count = counted
  const pending: unknown[] = [schema]
  while (pending.length > 0 && count <= limit) {
    const node = pending.pop()
    if (Array.isArray(node)) {
      for (const child of node) if (typeof child === 'object' && child !== null) pending.push(child)
      continue
    }
    if (!isObject(node)) continue
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && isObject(value)) count += Object.keys(value).length
      if (typeof value === 'object' && value !== null) pending.push(value)
    }
  }
  return count
}

/** The schemas a request carries: each tool's parameters (three dialects), and a structured-output schema. */
function schemasOf(body: Json): unknown[] {
  const schemas: unknown[] = []
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    if (!isObject(tool)) continue
    schemas.push(
      isObject(tool.function) ? tool.function.parameters : undefined,
      tool.input_schema,
      tool.parameters,
    )
  }
  if (isObject(body.response_format) && isObject(body.response_format.json_schema))
    schemas.push(body.response_format.json_schema.schema)
  if (isObject(body.text) && isObject(body.text.format)) schemas.push(body.text.format.schema)
  return schemas
}

function tooMany(
  count: number,
  what: string,
  limit: number,
  setting: string,
  param: string,
): InvalidRequestError {
  return new InvalidRequestError(
    `The request has ${count > limit ? `more than ${limit}` : count} ${what}; SmartSplit accepts at most ${limit} per request (server.${setting}).`,
    { param, code: 'too_many_items' },
  )
}

/** The first limit `body` breaks, as the error to answer with; null when it keeps within all of them. */
export function checkRequestShape(body: unknown, limits: RequestShapeLimits): InvalidRequestError | null {
  if (!isObject(body)) return null
  const parts = countContentParts(body, limits.maxContentParts)
  const conversation = Array.isArray(body.input) ? 'input' : 'messages'
  if (parts > limits.maxContentParts)
    return tooMany(parts, 'content parts', limits.maxContentParts, 'max_content_parts', conversation)
  const tools = lengthOf(body.tools)
  if (tools > limits.maxTools) return tooMany(tools, 'tools', limits.maxTools, 'max_tools', 'tools')
  let properties = 0
  for (const schema of schemasOf(body)) {
    properties = countSchemaProperties(schema, limits.maxToolProperties, properties)
    if (properties > limits.maxToolProperties)
      return tooMany(
        properties,
        'schema properties in its tools',
        limits.maxToolProperties,
        'max_tool_properties',
        'tools',
      )
  }
  const metadataKeys = isObject(body.metadata) ? Object.keys(body.metadata).length : 0
  if (metadataKeys > limits.maxMetadataKeys)
    return tooMany(metadataKeys, 'metadata keys', limits.maxMetadataKeys, 'max_metadata_keys', 'metadata')
  return null
}

/**
 * Large counts within the byte limit still cost time on the one event loop (validating 380 000 empty
 * content parts or a tool with 200 000 properties blocked every other request for about a second), so
 * each is capped with a 400 that names its setting, before any validation or routing.
 */
export function registerRequestShapeLimits(app: FastifyInstance, limits: RequestShapeLimits): void {
  app.addHook('preValidation', async (request, reply) => {
    const error = checkRequestShape(request.body, limits)
    if (error !== null) return sendRejection(request, reply, error)
  })
}
