import { z } from 'zod'

// Loose objects everywhere: Claude Code and the SDK send fields SmartSplit does not read (cache_control
// ttl, citations, context_management, container…), and rejecting them would break real clients.
const cacheControl = z.looseObject({ type: z.string() }).nullish()

const base64Source = z.looseObject({ type: z.literal('base64'), media_type: z.string(), data: z.string() })
const urlSource = z.looseObject({ type: z.literal('url'), url: z.string() })
const textSource = z.looseObject({ type: z.literal('text'), media_type: z.string(), data: z.string() })

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string(), cache_control: cacheControl })
const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [base64Source, urlSource]),
  cache_control: cacheControl,
})
const documentBlock = z.looseObject({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [base64Source, urlSource, textSource]),
  title: z.string().nullish(),
  cache_control: cacheControl,
})
const toolResultContent = z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock])
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
})
const thinkingBlock = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string(),
})
const redactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() })

/**
 * Block types SmartSplit cannot translate (server_tool_use, web_search_tool_result, search_result,
 * container_upload, and types Anthropic adds later) are accepted and dropped: no upstream could receive
 * them, and refusing them would break clients that replay their whole history.
 */
function dropUnknownTypes<Known extends z.ZodType<{ type: string }>>(known: Known, knownTypes: string[]) {
  const unknownBlock = z
    .looseObject({ type: z.string().refine((type) => !knownTypes.includes(type)) })
    .transform(() => null)
  return z
    .array(z.union([known, unknownBlock]))
    .transform((blocks) => blocks.flatMap((block) => (block === null ? [] : [block])))
}

const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), dropUnknownTypes(toolResultContent, ['text', 'image', 'document'])])
    .optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
})

const contentBlock = z.discriminatedUnion('type', [
  textBlock,
  imageBlock,
  documentBlock,
  toolUseBlock,
  toolResultBlock,
  thinkingBlock,
  redactedThinkingBlock,
])
const contentBlockTypes = [
  'text',
  'image',
  'document',
  'tool_use',
  'tool_result',
  'thinking',
  'redacted_thinking',
]

// Claude Opus 4.8 takes role "system" turns mid-conversation (Claude Code 2.1 sends one right after the
// first user turn, with the agent list), so they are accepted wherever they sit.
const messageParam = z.looseObject({
  role: z.enum(['user', 'assistant', 'system'], { error: 'must be "user", "assistant" or "system"' }),
  content: z.union([z.string(), dropUnknownTypes(contentBlock, contentBlockTypes)]),
})

const tool = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  // Server tools (web_search_20250305, bash_20250124…) carry a type and no input_schema.
  input_schema: z.record(z.string(), z.unknown()).optional(),
  type: z.string().optional(),
  cache_control: cacheControl,
})

const toolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({
    type: z.literal('tool'),
    name: z.string(),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('none') }),
])

// Structured outputs: output_config.format (GA) or output_format (the structured-outputs beta). Only
// json_schema exists today; other types are accepted and ignored, as Anthropic may add some.
const outputFormat = z.looseObject({
  type: z.string(),
  schema: z.record(z.string(), z.unknown()).optional(),
})

/** POST /v1/messages bodies, as accepted from Claude Code and the @anthropic-ai/sdk. */
export const anthropicRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageParam).min(1),
  max_tokens: z.number().int().positive(),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().nonnegative().optional(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  thinking: z.looseObject({ type: z.string(), budget_tokens: z.number().optional() }).optional(),
  output_config: z.looseObject({ format: outputFormat.nullish() }).optional(),
  output_format: outputFormat.nullish(),
})
