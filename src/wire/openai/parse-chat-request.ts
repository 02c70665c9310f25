import { z } from 'zod'
import { InvalidRequestError } from '../../errors.js'
import type { ChatRequest } from './types.js'

// Validates what OpenAI's schema accepts and nothing stricter: unknown fields are kept (they may matter
// to the model), known fields must have the right types. A rejection names the field, as OpenAI does.

const textPart = z.looseObject({ type: z.literal('text'), text: z.string() })
const imagePart = z.looseObject({
  type: z.literal('image_url'),
  image_url: z.looseObject({ url: z.string().min(1), detail: z.string().optional() }),
})
const otherPart = z
  .looseObject({ type: z.string().min(1) })
  .refine((part) => !['text', 'image_url'].includes(part.type))
const contentPart = z.union([textPart, imagePart, otherPart])
const content = z.union([z.string(), z.array(contentPart)])
// OpenAI refuses an empty part list ("empty array") everywhere but a replayed assistant turn.
const filledContent = z.union([z.string(), z.array(contentPart).min(1, 'must not be an empty array')])

const toolCall = z.looseObject({
  id: z.string().min(1),
  // Optional from clients, required by OpenAI and Groq upstream: filled in.
  type: z.literal('function').default('function'),
  function: z.looseObject({ name: z.string().min(1), arguments: z.string() }),
})

const message = z.discriminatedUnion('role', [
  z.looseObject({
    role: z.enum(['system', 'developer']),
    content: filledContent,
    name: z.string().optional(),
  }),
  z.looseObject({ role: z.literal('user'), content: filledContent, name: z.string().optional() }),
  z.looseObject({
    role: z.literal('assistant'),
    content: content.nullable().optional(),
    name: z.string().optional(),
    refusal: z.string().nullable().optional(),
    tool_calls: z.array(toolCall).nullable().optional(),
  }),
  z.looseObject({ role: z.literal('tool'), content: filledContent, tool_call_id: z.string().min(1) }),
  z.looseObject({ role: z.literal('function'), content: z.string().nullable(), name: z.string().min(1) }),
])

const functionTool = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits, _ . : or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
})
const customTool = z.looseObject({ type: z.string().min(1) }).refine((tool) => tool.type !== 'function')

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string().min(1) }) }),
  z.looseObject({ type: z.string().min(1) }),
])

const responseFormat = z.union([
  z.looseObject({ type: z.enum(['text', 'json_object']) }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: z.string().min(1),
      schema: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
])

const optionalNumber = (schema: z.ZodNumber) => schema.nullable().optional()

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1, 'must name a model, e.g. "smartsplit"').max(256, 'must be at most 256 characters'),
  messages: z.array(message).min(1, 'must contain at least one message'),
  stream: z.boolean().nullable().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullable().optional(),
  tools: z.array(z.union([functionTool, customTool])).optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormat.optional(),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .nullable()
    .optional(),
  max_tokens: optionalNumber(z.number().int().min(1)),
  max_completion_tokens: optionalNumber(z.number().int().min(1)),
  temperature: optionalNumber(z.number().min(0).max(2)),
  top_p: optionalNumber(z.number().min(0).max(1)),
  n: optionalNumber(z.number().int().min(1).max(128)),
  seed: optionalNumber(z.number().int()),
  presence_penalty: optionalNumber(z.number().min(-2).max(2)),
  frequency_penalty: optionalNumber(z.number().min(-2).max(2)),
  user: z.string().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
})

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : typeof value
}

/** Walks a path into the body to say what the client actually sent there. */
function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = body
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

export function parseChatRequest(body: unknown): ChatRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequestError(`The request body must be a JSON object, got ${describeValue(body)}.`)
  }
  const parsed = chatRequestSchema.safeParse(body)
  if (parsed.success) {
    // Only /v1/completions sets it: a chat client cannot ask for a provider's FIM endpoint this way.
    const { text_completion: _internal, ...chat } = parsed.data
    return chat as ChatRequest
  }
  const issue = parsed.error.issues[0]!
  const param = issue.path.map(String).join('.')
  const got = valueAt(body, issue.path)
  const detail =
    issue.code === 'invalid_union' && param.startsWith('messages.') && param.split('.').length === 2
      ? `each message needs a valid "role" (system, developer, user, assistant or tool) and content`
      : issue.message
  throw new InvalidRequestError(
    `Invalid value for '${param || 'body'}': ${detail}${got === undefined ? ' (missing)' : ` (got ${describeValue(got)})`}.`,
    { param: param || null, code: got === undefined ? 'missing_required_parameter' : 'invalid_value' },
  )
}
