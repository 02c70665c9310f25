import type { ChatChunk, FinishReason, ToolCallDelta, Usage } from '../openai/types.js'
import { toAnthropicMessageId } from './to-anthropic-message-id.js'
import { toAnthropicStopReason } from './to-anthropic-stop-reason.js'
import { toAnthropicUsage } from './to-anthropic-usage.js'
import type { AnthropicSseEvent } from './types.js'

export interface AnthropicEventWriterOptions {
  /** The model name to report; defaults to the first chunk's model. */
  model?: string
  /**
   * Prompt tokens as estimated before the call, for message_start: the real count only arrives with the
   * last chunk, and Anthropic clients read input_tokens from message_start. message_delta corrects it.
   */
  inputTokens?: number
}

export interface AnthropicEventWriter {
  /** One canonical chunk → the Anthropic events it implies (possibly none). */
  push(chunk: ChatChunk): AnthropicSseEvent[]
  /**
   * Call once the chunks end: closes any open block, then sends message_delta (stop reason and usage,
   * which OpenAI sends after the finish reason) and message_stop. Also works when no chunk came at all.
   */
  finish(): AnthropicSseEvent[]
}

type OpenBlock = { kind: 'text'; index: number } | { kind: 'tool'; index: number; toolIndex: number }

function event(type: string, payload: Record<string, unknown>): AnthropicSseEvent {
  return { event: type, data: JSON.stringify({ type, ...payload }) }
}

/**
 * Canonical chunks → the Anthropic SSE sequence the SDK expects (wire-formats.md §2.3): message_start,
 * content_block_start/delta/stop per text or tool_use block, message_delta, message_stop. Deltas the
 * Anthropic format has no place for (reasoning_content, logprobs) are dropped. If a provider interleaves
 * fragments of two tool calls, the late fragment is sent against its block's index, which the SDK accepts.
 */
export function createAnthropicEventWriter(options: AnthropicEventWriterOptions = {}): AnthropicEventWriter {
  let messageId = ''
  let hasStarted = false
  let hasFinished = false
  let nextBlockIndex = 0
  let openBlock: OpenBlock | null = null
  let finishReason: FinishReason | null = null
  let usage: Usage | null = null
  const toolBlocks = new Map<number, { blockIndex: number }>()

  const start = (chunk: ChatChunk | null): AnthropicSseEvent[] => {
    if (hasStarted) return []
    hasStarted = true
    messageId = chunk?.id ? toAnthropicMessageId(chunk.id) : 'msg_empty'
    const message = {
      id: messageId,
      type: 'message',
      role: 'assistant',
      model: options.model ?? chunk?.model ?? '',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...toAnthropicUsage(null), input_tokens: options.inputTokens ?? 0 },
    }
    return [event('message_start', { message })]
  }

  const closeBlock = (): AnthropicSseEvent[] => {
    if (openBlock === null) return []
    const index = openBlock.index
    openBlock = null
    return [event('content_block_stop', { index })]
  }

  const appendText = (text: string): AnthropicSseEvent[] => {
    const out: AnthropicSseEvent[] = []
    if (openBlock?.kind !== 'text') {
      out.push(...closeBlock())
      openBlock = { kind: 'text', index: nextBlockIndex++ }
      out.push(
        event('content_block_start', { index: openBlock.index, content_block: { type: 'text', text: '' } }),
      )
    }
    out.push(event('content_block_delta', { index: openBlock.index, delta: { type: 'text_delta', text } }))
    return out
  }

  const appendToolCall = (call: ToolCallDelta): AnthropicSseEvent[] => {
    const out: AnthropicSseEvent[] = []
    let tool = toolBlocks.get(call.index)
    if (tool === undefined) {
      out.push(...closeBlock())
      tool = { blockIndex: nextBlockIndex++ }
      toolBlocks.set(call.index, tool)
      openBlock = { kind: 'tool', index: tool.blockIndex, toolIndex: call.index }
      // Providers that omit the id still need one: Anthropic clients answer with tool_result by id.
      const id = call.id ?? `toolu_${messageId}_${call.index}`
      const contentBlock = { type: 'tool_use', id, name: call.function?.name ?? '', input: {} }
      out.push(event('content_block_start', { index: tool.blockIndex, content_block: contentBlock }))
    }
    const fragment = call.function?.arguments
    if (fragment) {
      const delta = { type: 'input_json_delta', partial_json: fragment }
      out.push(event('content_block_delta', { index: tool.blockIndex, delta }))
    }
    return out
  }

  return {
    push(chunk) {
      if (hasFinished) return []
      const out = start(chunk)
      if (chunk.usage) usage = chunk.usage
      for (const choice of chunk.choices) {
        if (choice.index !== 0) continue
        const { content, refusal, tool_calls: toolCalls } = choice.delta
        if (typeof content === 'string' && content !== '') out.push(...appendText(content))
        if (typeof refusal === 'string' && refusal !== '') out.push(...appendText(refusal))
        for (const call of toolCalls ?? []) out.push(...appendToolCall(call))
        if (choice.finish_reason !== null) {
          finishReason = choice.finish_reason
          out.push(...closeBlock())
        }
      }
      return out
    },
    finish() {
      if (hasFinished) return []
      hasFinished = true
      const out = [...start(null), ...closeBlock()]
      const fallbackReason: FinishReason = toolBlocks.size > 0 ? 'tool_calls' : 'stop'
      const stopReason = toAnthropicStopReason(finishReason ?? fallbackReason)
      const { input_tokens, output_tokens, cache_read_input_tokens, cache_creation_input_tokens } =
        toAnthropicUsage(usage)
      // Usage in message_delta is cumulative; input figures are only sent when the upstream reported them.
      const usagePayload =
        usage === null
          ? { output_tokens }
          : { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens }
      out.push(
        event('message_delta', {
          delta: { stop_reason: stopReason, stop_sequence: null },
          usage: usagePayload,
        }),
      )
      out.push(event('message_stop', {}))
      return out
    },
  }
}
