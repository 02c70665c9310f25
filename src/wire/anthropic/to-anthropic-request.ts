import { InvalidRequestError } from '../../errors.js'
import { pushAll } from '../../lib/push-all.js'
import { contentText } from '../openai/content-text.js'
import type { AssistantMessage, CacheControl, ChatRequest, MessageContent } from '../openai/types.js'
import { parseToolArguments } from './parse-tool-arguments.js'
import { toAnthropicBlocks } from './to-anthropic-blocks.js'
import { toAnthropicOutputSchema } from './to-anthropic-output-schema.js'
import { toAnthropicTools } from './to-anthropic-tools.js'
import type {
  AnthropicContentBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from './types.js'

export interface ToAnthropicRequestOptions {
  /** The upstream model id, e.g. `claude-haiku-4-5`. */
  model: string
  /** Sent when the client gave no limit: Anthropic requires max_tokens. */
  defaultMaxTokens: number
  /** The model's output ceiling from the catalog; larger requests are clamped (agents send 32000). */
  maxOutputTokens?: number
}

// Anthropic needs at least one turn and a user turn first; this stands in when every client message was
// empty or the conversation opens with the assistant. A lone full stop steers the model least.
const PLACEHOLDER_TEXT = '.'

interface Turn {
  role: 'user' | 'assistant'
  blocks: AnthropicContentBlock[]
}

/** One system instruction and the cache breakpoint that ends it, if the client set one. */
interface SystemText {
  text: string
  cacheControl: CacheControl | undefined
}

/** A message's breakpoint goes on the last block it became: the cached prefix ends with the message. */
function endingWith(
  blocks: AnthropicContentBlock[],
  control: CacheControl | undefined,
): AnthropicContentBlock[] {
  const last = blocks.at(-1)
  if (control === undefined || last === undefined) return blocks
  return [...blocks.slice(0, -1), { ...last, cache_control: control } as AnthropicContentBlock]
}

const textOf = (content: MessageContent): string => contentText(content, '\n\n')

function assistantBlocks(message: AssistantMessage, path: string): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = toAnthropicBlocks(message.content, `${path}.content`)
  if (blocks.length === 0 && typeof message.refusal === 'string' && message.refusal.trim() !== '') {
    blocks.push({ type: 'text', text: message.refusal })
  }
  for (const call of message.tool_calls ?? []) {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolArguments(call.function.arguments),
    })
  }
  return blocks
}

function toolResultBlock(
  content: MessageContent,
  toolCallId: string,
  path: string,
): AnthropicToolResultBlock {
  const blocks = toAnthropicBlocks(content, path)
  const onlyText = blocks.every((block): block is AnthropicTextBlock => block.type === 'text')
  // An empty result is sent without content: Anthropic rejects empty text blocks, not a missing content.
  if (blocks.length === 0) return { type: 'tool_result', tool_use_id: toolCallId }
  if (onlyText && typeof content === 'string')
    return { type: 'tool_result', tool_use_id: toolCallId, content }
  return { type: 'tool_result', tool_use_id: toolCallId, content: blocks }
}

/** Client turns → Anthropic turns. Same-role neighbours merge, so consecutive tool messages become one user turn. */
function toTurns(request: ChatRequest): { system: SystemText[]; turns: Turn[] } {
  const system: SystemText[] = []
  const turns: Turn[] = []
  const append = (role: Turn['role'], blocks: AnthropicContentBlock[]): void => {
    if (blocks.length === 0) return
    const last = turns.at(-1)
    if (last?.role === role) pushAll(last.blocks, blocks)
    else turns.push({ role, blocks: [...blocks] })
  }
  request.messages.forEach((message, index) => {
    const path = `messages.${index}`
    switch (message.role) {
      case 'system':
      case 'developer': {
        // Anthropic has no system turns: every instruction, wherever it sat, moves to the top-level system.
        const text = textOf(message.content)
        if (text.trim() !== '') system.push({ text, cacheControl: message.cache_control })
        break
      }
      case 'user':
        append(
          'user',
          endingWith(toAnthropicBlocks(message.content, `${path}.content`), message.cache_control),
        )
        break
      case 'assistant':
        append(
          'assistant',
          endingWith(assistantBlocks(message, path), message.cache_control as CacheControl | undefined),
        )
        break
      case 'tool':
        append(
          'user',
          endingWith(
            [toolResultBlock(message.content, message.tool_call_id, `${path}.content`)],
            message.cache_control,
          ),
        )
        break
      case 'function':
        throw new InvalidRequestError('Deprecated function messages cannot be sent to Anthropic models.', {
          param: `${path}.role`,
          code: 'unsupported_content',
        })
    }
  })
  return { system, turns }
}

/** Anthropic wants tool_result blocks first in a user turn; a stable sort keeps their relative order. */
function toolResultsFirst(blocks: AnthropicContentBlock[]): AnthropicContentBlock[] {
  return [...blocks].sort((a, b) => Number(b.type === 'tool_result') - Number(a.type === 'tool_result'))
}

/** Anthropic rejects a final assistant turn (a prefill) that ends in whitespace. */
function trimPrefill(turns: Turn[]): void {
  const last = turns.at(-1)
  if (last?.role !== 'assistant') return
  const lastBlock = last.blocks.at(-1)
  if (lastBlock?.type !== 'text') return
  const trimmed = lastBlock.text.trimEnd()
  if (trimmed === '') last.blocks.pop()
  else last.blocks[last.blocks.length - 1] = { ...lastBlock, text: trimmed }
  if (last.blocks.length === 0) turns.pop()
}

function toMessages(turns: Turn[]): AnthropicMessageParam[] {
  trimPrefill(turns)
  if (turns[0]?.role !== 'user')
    turns.unshift({ role: 'user', blocks: [{ type: 'text', text: PLACEHOLDER_TEXT }] })
  return turns.map((turn) => {
    const blocks = turn.role === 'user' ? toolResultsFirst(turn.blocks) : turn.blocks
    const only = blocks[0]
    // A lone text block goes as a plain string, the form most captured traffic and docs use.
    if (blocks.length === 1 && only?.type === 'text' && Object.keys(only).length === 2) {
      return { role: turn.role, content: only.text }
    }
    return { role: turn.role, content: blocks }
  })
}

/** One string, or text blocks when a breakpoint must end one of them (the system is then cached). */
function toSystem(system: readonly SystemText[]): AnthropicMessagesRequest['system'] {
  if (system.every((entry) => entry.cacheControl === undefined))
    return system.map((entry) => entry.text).join('\n\n')
  return system.map(
    (entry): AnthropicTextBlock => ({
      type: 'text',
      text: entry.text,
      ...(entry.cacheControl === undefined ? {} : { cache_control: entry.cacheControl }),
    }),
  )
}

function toStopSequences(stop: ChatRequest['stop']): string[] | undefined {
  const list = typeof stop === 'string' ? [stop] : (stop ?? [])
  // Anthropic rejects stop sequences made only of whitespace.
  const kept = list.filter((sequence) => sequence.trim() !== '')
  return kept.length > 0 ? kept : undefined
}

function toMaxTokens(request: ChatRequest, options: ToAnthropicRequestOptions): number {
  const asked = request.max_completion_tokens ?? request.max_tokens ?? options.defaultMaxTokens
  const ceiling = options.maxOutputTokens ?? Number.POSITIVE_INFINITY
  return Math.max(1, Math.min(Math.floor(asked), ceiling))
}

// JSON mode without a schema has no Anthropic equivalent. A schema cannot stand in: structured outputs
// demand `additionalProperties: false` on every object, so `{type:"object"}` would only admit `{}`. The
// docs' advice without structured outputs is to ask for JSON in the prompt, which is what OpenAI's JSON
// mode expects of the client as well: this instruction says it once more, where Claude reads it.
const JSON_OBJECT_INSTRUCTION =
  'Answer with a single valid JSON object and nothing else: no prose before or after it, no Markdown code fence.'

/** response_format → Anthropic structured output (a schema), or the instruction JSON mode stands for. */
function applyResponseFormat(
  format: ChatRequest['response_format'],
  anthropic: AnthropicMessagesRequest,
  system: SystemText[],
): void {
  if (format === undefined || format.type === 'text') return
  const schema = format.type === 'json_schema' ? format.json_schema.schema : undefined
  if (schema === undefined) {
    system.push({ text: JSON_OBJECT_INSTRUCTION, cacheControl: undefined })
    return
  }
  anthropic.output_config = { format: { type: 'json_schema', schema: toAnthropicOutputSchema(schema) } }
}

/**
 * A canonical (OpenAI) chat request → an Anthropic Messages request (wire-formats.md §2.5).
 * Always `stream: true`: SmartSplit streams every upstream call and collects for JSON clients.
 * response_format becomes structured output (output_config.format) or, for JSON mode, an instruction.
 * Dropped, for lack of an Anthropic equivalent: n, logprobs, top_logprobs, penalties, seed, and unknown
 * extra fields.
 */
export function toAnthropicRequest(
  request: ChatRequest,
  options: ToAnthropicRequestOptions,
): AnthropicMessagesRequest {
  const { system, turns } = toTurns(request)
  const anthropic: AnthropicMessagesRequest = {
    model: options.model,
    messages: toMessages(turns),
    max_tokens: toMaxTokens(request, options),
    stream: true,
  }
  applyResponseFormat(request.response_format, anthropic, system)
  if (system.length > 0) anthropic.system = toSystem(system)
  const stopSequences = toStopSequences(request.stop)
  if (stopSequences !== undefined) anthropic.stop_sequences = stopSequences
  const temperature = request.temperature
  if (typeof temperature === 'number') anthropic.temperature = Math.min(1, Math.max(0, temperature))
  // Claude 4.5+ models answer 400 when both are set; temperature is the one clients usually mean.
  if (typeof request.top_p === 'number' && typeof temperature !== 'number') anthropic.top_p = request.top_p
  Object.assign(anthropic, toAnthropicTools(request))
  if (typeof request.user === 'string' && request.user !== '') anthropic.metadata = { user_id: request.user }
  return anthropic
}
