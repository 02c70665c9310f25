import { InvalidRequestError } from '../../errors.js'
import { pushAll } from '../../lib/push-all.js'
import type {
  AssistantMessage,
  CacheControl,
  ChatMessage,
  ChatRequest,
  ContentPart,
  ResponseFormat,
  ToolCall,
  ToolMessage,
} from '../openai/types.js'
import { fromAnthropicTools } from './from-anthropic-tools.js'
import type {
  AnthropicCacheControl,
  AnthropicContentBlock,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesRequest,
  AnthropicOutputFormat,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from './types.js'

type InputBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock

function toPart(block: InputBlock): ContentPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text }
    case 'image':
      return {
        type: 'image_url',
        image_url: {
          url:
            block.source.type === 'base64'
              ? `data:${block.source.media_type};base64,${block.source.data}`
              : block.source.url,
        },
      }
    case 'document': {
      const source = block.source
      if (source.type === 'text') return { type: 'text', text: source.data }
      // OpenAI file parts take inline data only; a document URL is passed on as text the model can read.
      if (source.type === 'url') return { type: 'text', text: `Document: ${source.url}` }
      return {
        type: 'file',
        file: {
          file_data: `data:${source.media_type};base64,${source.data}`,
          filename: block.title ?? 'document.pdf',
        },
      }
    }
  }
}

/** The last cache breakpoint among blocks, as the canonical message's own (see CacheControl). */
function lastCacheControl(
  blocks: readonly { cache_control?: AnthropicCacheControl | null | undefined }[],
): CacheControl | undefined {
  for (let index = blocks.length - 1; index >= 0; index--) {
    const control = blocks[index]!.cache_control
    if (control !== null && control !== undefined) return control
  }
  return undefined
}

/** Adds a breakpoint to a message when there is one; no key at all otherwise. */
function withCacheControl<M extends ChatMessage>(message: M, control: CacheControl | undefined): M {
  return control === undefined ? message : { ...message, cache_control: control }
}

/** One text part travels as a plain string, the form every OpenAI-compatible provider accepts. */
function toContent(parts: ContentPart[]): string | ContentPart[] {
  const only = parts[0]
  if (parts.length === 1 && only?.type === 'text' && typeof only.text === 'string') return only.text
  return parts
}

/**
 * A tool_result → an OpenAI tool message. OpenAI tool messages carry text only, so images in a result
 * move to the user message that follows. OpenAI has no is_error: the text says so instead.
 */
function toToolMessage(block: AnthropicToolResultBlock, movedImages: ContentPart[]): ToolMessage {
  const content = block.content ?? ''
  let text: string
  if (typeof content === 'string') {
    text = content
  } else {
    const texts: string[] = []
    for (const part of content) {
      const converted = toPart(part)
      if (converted.type === 'text' && typeof converted.text === 'string') texts.push(converted.text)
      else movedImages.push(converted)
    }
    text = texts.join('\n')
  }
  const message: ToolMessage = {
    role: 'tool',
    tool_call_id: block.tool_use_id,
    content: block.is_error === true ? `Error: ${text}` : text,
  }
  return withCacheControl(message, lastCacheControl([block]))
}

/** A user turn → its tool results as tool messages, in order, then any other blocks as one user message. */
function fromUserBlocks(blocks: AnthropicContentBlock[]): ChatMessage[] {
  const toolMessages: ChatMessage[] = []
  const parts: ContentPart[] = []
  const partBlocks: InputBlock[] = []
  const movedImages: ContentPart[] = []
  for (const block of blocks) {
    if (block.type === 'tool_result') toolMessages.push(toToolMessage(block, movedImages))
    else if (block.type === 'text' || block.type === 'image' || block.type === 'document') {
      parts.push(toPart(block))
      partBlocks.push(block)
    }
    // tool_use and thinking blocks cannot appear in a user turn; Anthropic would reject them too.
  }
  pushAll(parts, movedImages)
  if (parts.length === 0) return toolMessages
  const user = withCacheControl<ChatMessage>(
    { role: 'user', content: toContent(parts) },
    lastCacheControl(partBlocks),
  )
  return [...toolMessages, user]
}

/** An assistant turn → one assistant message; thinking blocks are dropped (no OpenAI form, signed by Anthropic). */
function fromAssistantBlocks(blocks: AnthropicContentBlock[]): AssistantMessage {
  const text = blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('')
  const toolCalls = blocks.flatMap((block): ToolCall[] =>
    block.type === 'tool_use'
      ? [
          {
            id: block.id,
            type: 'function',
            function: { name: block.name, arguments: JSON.stringify(block.input) },
          },
        ]
      : [],
  )
  const message: AssistantMessage = { role: 'assistant', content: text === '' ? null : text }
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  const control = lastCacheControl(
    blocks.filter((block) => block.type === 'text' || block.type === 'tool_use'),
  )
  if (control !== undefined) message.cache_control = control
  return message
}

function fromMessage(message: AnthropicMessageParam): ChatMessage[] {
  if (message.role === 'system') return [] // moved into the leading system message (leadingSystem)
  if (typeof message.content === 'string') return [{ role: message.role, content: message.content }]
  return message.role === 'user' ? fromUserBlocks(message.content) : [fromAssistantBlocks(message.content)]
}

/** The instruction blocks of the top-level system field or of a system turn (only text can instruct). */
function systemBlocks(content: string | readonly { type: string }[] | undefined): AnthropicTextBlock[] {
  if (content === undefined) return []
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  return content.filter((block): block is AnthropicTextBlock => block.type === 'text')
}

/**
 * Claude Code opens its system with "x-anthropic-billing-header: cc_version=2.1.197.35c; …", the suffix
 * changing with the session's first prompt. It is for Anthropic's billing, which strips it; left in, it
 * would be the first bytes of every prompt, so no provider's prefix cache could ever serve Claude Code's
 * 17k-token system prompt to another session.
 */
function isBillingHeader(text: string): boolean {
  return text.startsWith('x-anthropic-billing-header:')
}

/**
 * The top-level system and every system turn (Claude Code 2.1 sends one after the first user turn), as
 * one leading system message: Qwen, Llama and Gemma chat templates answer 400 "System message must be at
 * the beginning" to any other placement (vllm#41114), and the Anthropic and Gemini adapters hoist
 * system text to the top anyway. The last cache breakpoint among them ends it.
 */
function leadingSystem(req: AnthropicMessagesRequest): ChatMessage | null {
  const blocks = systemBlocks(req.system)
  for (const message of req.messages)
    if (message.role === 'system') pushAll(blocks, systemBlocks(message.content))
  const text = blocks
    .map((block) => block.text)
    .filter((piece) => piece.trim() !== '' && !isBillingHeader(piece))
    .join('\n\n')
  if (text === '') return null
  return withCacheControl<ChatMessage>({ role: 'system', content: text }, lastCacheControl(blocks))
}

/**
 * Anthropic's structured output → OpenAI's json_schema response_format. Not strict: OpenAI's strict mode
 * demands every property be required, which an Anthropic schema need not satisfy.
 */
function toResponseFormat(format: AnthropicOutputFormat | null | undefined): ResponseFormat | undefined {
  if (format?.type !== 'json_schema' || format.schema === undefined) return undefined
  return { type: 'json_schema', json_schema: { name: 'output', schema: format.schema } }
}

/**
 * A validated POST /v1/messages body → the canonical chat request (the inverse of toAnthropicRequest).
 * cache_control breakpoints are kept on the message (or tool) they end, for an Anthropic upstream; other
 * providers cache by prefix on their own and never see them. Dropped: thinking (SmartSplit may route to
 * models without it), top_k (no OpenAI field), metadata.user_id (it names the Claude Code account and
 * session, which other providers have no use for: the HTTP edge reads it as the conversation's
 * identity). System turns join the leading system message; output_config.format (structured
 * output) becomes response_format. Streaming requests ask for usage, which the Anthropic event writer
 * reports in message_delta.
 */
export function fromAnthropicRequest(req: AnthropicMessagesRequest): ChatRequest {
  const messages: ChatMessage[] = []
  const system = leadingSystem(req)
  if (system !== null) messages.push(system)
  for (const message of req.messages) pushAll(messages, fromMessage(message))
  // Empty turns and blocks no provider accepts are dropped; a conversation left with no turn at all
  // would reach the upstream as `messages: []` (Anthropic refuses an empty turn too).
  if (!messages.some((message) => message.role !== 'system'))
    throw new InvalidRequestError(
      'messages: no message has any content; send at least one with text, an image, a document or a tool_result.',
      { param: 'messages' },
    )

  const chat: ChatRequest = { model: req.model, messages, max_tokens: req.max_tokens }
  if (req.stream !== undefined) chat.stream = req.stream
  if (req.stream === true) chat.stream_options = { include_usage: true }
  if (req.temperature !== undefined) chat.temperature = req.temperature
  if (req.top_p !== undefined) chat.top_p = req.top_p
  if (req.stop_sequences !== undefined && req.stop_sequences.length > 0) chat.stop = req.stop_sequences
  const responseFormat = toResponseFormat(req.output_config?.format ?? req.output_format)
  if (responseFormat !== undefined) chat.response_format = responseFormat
  Object.assign(chat, fromAnthropicTools(req))
  return chat
}
