import { z } from 'zod'

// POST /v1/responses bodies as the Codex CLI and `client.responses.create` send them (CreateResponse in
// OpenAI's spec). Loose objects everywhere: clients send fields SmartSplit does not read (include,
// prompt_cache_key, reasoning, store, service_tier, phase…) and rejecting them would break real clients.

const inputText = z.looseObject({ type: z.literal('input_text'), text: z.string() })
// SmartSplit stores no files, so an image must come inline or by URL; a file_id alone has nothing to resolve.
const inputImage = z
  .looseObject({
    type: z.literal('input_image'),
    image_url: z.string().min(1).nullish(),
    file_id: z.string().nullish(),
    detail: z.enum(['auto', 'low', 'high']).nullish(),
  })
  .refine((part) => typeof part.image_url === 'string', {
    message:
      'SmartSplit stores no files: send the image as image_url (an https URL or a data: URL), not file_id',
    path: ['image_url'],
  })
const inputFile = z
  .looseObject({
    type: z.literal('input_file'),
    file_data: z.string().min(1).optional(),
    file_url: z.string().min(1).optional(),
    file_id: z.string().nullish(),
    filename: z.string().optional(),
  })
  .refine((part) => part.file_data !== undefined || part.file_url !== undefined, {
    message: 'SmartSplit stores no files: send the file as file_data (base64 data URL) or file_url',
    path: ['file_data'],
  })
// Assistant turns replayed from an earlier Response carry output content.
const outputText = z.looseObject({ type: z.literal('output_text'), text: z.string() })
const refusal = z.looseObject({ type: z.literal('refusal'), refusal: z.string() })

const contentPart = z.discriminatedUnion('type', [inputText, inputImage, inputFile, outputText, refusal])

const messageItem = z
  .looseObject({
    type: z.literal('message').optional(),
    role: z.enum(['user', 'assistant', 'system', 'developer'], {
      error: 'must be "user", "assistant", "system" or "developer"',
    }),
    content: z.union([z.string(), z.array(contentPart)]),
  })
  // An empty part list says nothing; only a replayed assistant turn may have one.
  .refine(
    (item) => item.role === 'assistant' || typeof item.content === 'string' || item.content.length > 0,
    {
      message: 'must not be an empty array',
      path: ['content'],
    },
  )

const functionCallItem = z.looseObject({
  type: z.literal('function_call'),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
})

const functionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  id: z.string().nullish(),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(z.discriminatedUnion('type', [inputText, inputImage, inputFile]))]),
})

// Reasoning items are signed or encrypted by OpenAI for its own models: no routed provider can read them.
const reasoningItem = z.looseObject({ type: z.literal('reasoning') })

const itemReference = z.looseObject({ type: z.literal('item_reference'), id: z.string() })

const KNOWN_ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning', 'item_reference']

/**
 * Items for hosted or OpenAI-only tools (web_search_call, local_shell_call, custom_tool_call, computer_call,
 * mcp_*, compaction…) are accepted and dropped: SmartSplit never produces them, no upstream could run them,
 * and refusing them would break clients that replay a history started against OpenAI.
 */
const otherItem = z
  .looseObject({ type: z.string().refine((type) => !KNOWN_ITEM_TYPES.includes(type), { abort: true }) })
  .transform(() => null)

const inputItem = z.union([
  messageItem,
  functionCallItem,
  functionCallOutputItem,
  reasoningItem,
  itemReference,
  otherItem,
])

const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().regex(/^[a-zA-Z0-9_.:-]{1,128}$/, 'must be 1-128 letters, digits, _ . : or -'),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
})
/** Hosted tools (web_search, file_search, code_interpreter, mcp, custom…): see fromResponsesTools. */
// abort: a failed refinement must not make this branch win the union over the function tool it is not.
const otherTool = z.looseObject({
  type: z
    .string()
    .min(1)
    .refine((type) => type !== 'function', { abort: true }),
})

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.looseObject({ type: z.literal('function'), name: z.string().min(1) }),
  z.looseObject({
    type: z.literal('allowed_tools'),
    mode: z.enum(['auto', 'required']),
    tools: z.array(z.looseObject({ type: z.string(), name: z.string().optional() })),
  }),
  // A hosted tool type ({type: 'web_search'}…); parseResponsesRequest explains why it cannot be served.
  z.looseObject({ type: z.string().min(1) }),
])

const textFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().optional(),
    strict: z.boolean().nullish(),
  }),
])

const optionalNumber = (schema: z.ZodNumber) => schema.nullable().optional()

/** POST /v1/responses bodies (CreateResponse). Statefulness is checked after parsing, with clearer words. */
export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1, 'must name a model, e.g. "smartsplit"').max(256, 'must be at most 256 characters'),
  input: z.union([z.string(), z.array(inputItem)], {
    error: 'must be a string or an array of input items',
  }),
  instructions: z.string().nullish(),
  tools: z.array(z.union([functionTool, otherTool])).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({ format: textFormat.optional() }).nullish(),
  max_output_tokens: optionalNumber(z.number().int().min(1)),
  temperature: optionalNumber(z.number().min(0).max(2)),
  top_p: optionalNumber(z.number().min(0).max(1)),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().optional(),
  previous_response_id: z.string().nullish(),
  background: z.boolean().nullish(),
  conversation: z.unknown().optional(),
  prompt: z.unknown().optional(),
})
