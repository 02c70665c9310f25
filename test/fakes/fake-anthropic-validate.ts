// The checks the real Messages API makes before generating, strict enough that a translation bug in
// SmartSplit fails here the way it would fail against api.anthropic.com. Messages copy Anthropic's wording.

import { checkOutputConfig } from './fake-anthropic-output-config.js'

export interface FakeAnthropicRejection {
  status: number
  type: 'authentication_error' | 'invalid_request_error' | 'not_found_error'
  message: string
}

type Json = Record<string, unknown>

const TOP_LEVEL_FIELDS = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'metadata',
  'tools',
  'tool_choice',
  'thinking',
  'service_tier',
  'container',
  'mcp_servers',
  'context_management',
  'output_config',
])
const IMAGE_MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp'])
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const invalid = (message: string): FakeAnthropicRejection => ({
  status: 400,
  type: 'invalid_request_error',
  message,
})

function checkBlock(block: unknown, role: string, path: string): string | null {
  if (!isRecord(block) || typeof block.type !== 'string') return `${path}.type: Field required`
  switch (block.type) {
    case 'text':
      if (typeof block.text !== 'string') return `${path}.text: Field required`
      return block.text.trim() === ''
        ? 'messages: text content blocks must contain non-whitespace text'
        : null
    case 'image': {
      const source = block.source
      if (!isRecord(source)) return `${path}.source: Field required`
      if (source.type === 'url')
        return typeof source.url === 'string' ? null : `${path}.source.url: Field required`
      if (source.type !== 'base64') return `${path}.source.type: Input should be 'base64' or 'url'`
      if (typeof source.data !== 'string' || source.data === '') return `${path}.source.data: Field required`
      return IMAGE_MEDIA_TYPES.has(String(source.media_type))
        ? null
        : `${path}.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`
    }
    case 'document':
      return isRecord(block.source) ? null : `${path}.source: Field required`
    case 'tool_use':
      if (role !== 'assistant') return `${path}: tool_use blocks can only appear in assistant messages`
      if (typeof block.id !== 'string' || typeof block.name !== 'string')
        return `${path}: id and name are required`
      return isRecord(block.input) ? null : `${path}.input: Input should be a valid dictionary`
    case 'tool_result': {
      if (role !== 'user') return `${path}: tool_result blocks can only appear in user messages`
      if (typeof block.tool_use_id !== 'string') return `${path}.tool_use_id: Field required`
      const content = block.content
      if (content === undefined || typeof content === 'string') return null
      if (!Array.isArray(content)) return `${path}.content: Input should be a valid string or list`
      for (const [index, inner] of content.entries()) {
        const problem = checkBlock(inner, 'user', `${path}.content.${index}`)
        if (problem !== null) return problem
      }
      return null
    }
    case 'thinking':
    case 'redacted_thinking':
      return role === 'assistant' ? null : `${path}: thinking blocks can only appear in assistant messages`
    default:
      return `${path}.type: Input tag '${block.type}' found using 'type' does not match any of the expected tags`
  }
}

function blocksOf(content: unknown): Json[] {
  return Array.isArray(content) ? content.filter(isRecord) : []
}

/** tool_result blocks must come first and answer exactly the previous assistant turn's tool_use ids. */
function checkToolPairing(messages: Json[]): string | null {
  for (const [index, message] of messages.entries()) {
    const blocks = blocksOf(message.content)
    const results = blocks.filter((block) => block.type === 'tool_result')
    const previous = index > 0 ? blocksOf(messages[index - 1]?.content) : []
    const previousIds = new Set(previous.filter((b) => b.type === 'tool_use').map((b) => String(b.id)))
    const firstOther = blocks.findIndex((block) => block.type !== 'tool_result')
    const lastResult = blocks.map((block) => block.type).lastIndexOf('tool_result')
    if (results.length > 0 && firstOther !== -1 && firstOther < lastResult) {
      return `messages.${index}: tool_result blocks must come first in the content array, before any other block`
    }
    for (const result of results) {
      if (!previousIds.has(String(result.tool_use_id))) {
        return `messages.${index}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(result.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`
      }
    }
    const next = messages[index + 1]
    const ownIds = blocks.filter((block) => block.type === 'tool_use').map((block) => String(block.id))
    if (next === undefined || ownIds.length === 0) continue
    const answered = new Set(
      blocksOf(next.content)
        .filter((b) => b.type === 'tool_result')
        .map((b) => String(b.tool_use_id)),
    )
    const missing = ownIds.filter((id) => !answered.has(id))
    if (missing.length > 0) {
      return `messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`
    }
  }
  return null
}

function checkMessages(messages: unknown): string | null {
  if (!Array.isArray(messages) || messages.length === 0) return 'messages: at least one message is required'
  let previousRole: unknown = null
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message)) return `messages.${index}: Input should be a valid dictionary`
    const role = message.role
    if (role !== 'user' && role !== 'assistant')
      return `messages.${index}.role: Input should be 'user' or 'assistant'`
    if (role === previousRole) {
      return `messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`
    }
    previousRole = role
    const isFinalAssistant = role === 'assistant' && index === messages.length - 1
    const content = message.content
    if (typeof content === 'string') {
      if (content === '' && !isFinalAssistant) {
        return `messages.${index}: all messages must have non-empty content except for the optional final assistant message`
      }
      if (isFinalAssistant && content !== content.trimEnd())
        return 'final assistant content cannot end with trailing whitespace'
      continue
    }
    if (!Array.isArray(content)) return `messages.${index}.content: Input should be a valid string or list`
    if (content.length === 0 && !isFinalAssistant) {
      return `messages.${index}: all messages must have non-empty content except for the optional final assistant message`
    }
    for (const [blockIndex, block] of content.entries()) {
      const problem = checkBlock(block, role, `messages.${index}.content.${blockIndex}`)
      if (problem !== null) return problem
    }
  }
  return checkToolPairing(messages.filter(isRecord))
}

function checkTools(body: Json): string | null {
  if (body.tools === undefined) return null
  if (!Array.isArray(body.tools)) return 'tools: Input should be a valid list'
  for (const [index, tool] of body.tools.entries()) {
    if (!isRecord(tool) || typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) {
      return `tools.${index}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`
    }
    const isCustom = tool.type === undefined || tool.type === 'custom'
    if (isCustom && (!isRecord(tool.input_schema) || tool.input_schema.type !== 'object')) {
      return `tools.${index}.custom.input_schema.type: Input should be 'object'`
    }
  }
  return null
}

function checkParameters(body: Json): string | null {
  for (const name of Object.keys(body)) {
    if (!TOP_LEVEL_FIELDS.has(name)) return `${name}: Extra inputs are not permitted`
  }
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required'
  if (body.max_tokens === undefined) return 'max_tokens: Field required'
  if (!Number.isInteger(body.max_tokens) || Number(body.max_tokens) < 1)
    return 'max_tokens: Input should be greater than or equal to 1'
  for (const name of ['temperature', 'top_p'] as const) {
    const value = body[name]
    if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 1)) {
      return `${name}: Input should be less than or equal to 1`
    }
  }
  if (body.system !== undefined && typeof body.system !== 'string') {
    if (!Array.isArray(body.system)) return 'system: Input should be a valid string or list'
    for (const [index, block] of body.system.entries()) {
      if (
        !isRecord(block) ||
        block.type !== 'text' ||
        typeof block.text !== 'string' ||
        block.text.trim() === ''
      ) {
        return `system.${index}: text content blocks must contain non-whitespace text`
      }
    }
  }
  if (body.stop_sequences !== undefined) {
    const sequences = body.stop_sequences
    if (!Array.isArray(sequences) || sequences.some((s) => typeof s !== 'string' || s.trim() === '')) {
      return 'stop_sequences: each stop sequence must contain non-whitespace characters'
    }
  }
  return null
}

/** Returns the rejection the real API would answer with, or null when the request would be served. */
export function validateFakeAnthropicRequest(
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  expectedApiKey: string | undefined,
): FakeAnthropicRejection | null {
  const apiKey = headers['x-api-key']
  if (typeof apiKey !== 'string' || apiKey === '') {
    return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' }
  }
  if (expectedApiKey !== undefined && apiKey !== expectedApiKey) {
    return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' }
  }
  if (typeof headers['anthropic-version'] !== 'string')
    return invalid('anthropic-version: header is required')
  let body: unknown
  try {
    body = JSON.parse(rawBody)
  } catch {
    return invalid('There was an error parsing the body')
  }
  if (!isRecord(body)) return invalid('Input should be a valid dictionary')
  const problem =
    checkParameters(body) ??
    checkMessages(body.messages) ??
    checkTools(body) ??
    checkOutputConfig(body.output_config)
  return problem === null ? null : invalid(problem)
}
