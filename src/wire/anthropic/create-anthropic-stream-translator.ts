import { UpstreamError } from '../../errors.js'
import type { ChatChunk, ChunkDelta, FinishReason } from '../openai/types.js'
import type { SseEvent } from '../sse.js'
import { anthropicStreamError } from './anthropic-stream-error.js'
import { type AnthropicStreamEvent, anthropicStreamEventSchema } from './anthropic-stream-event-schema.js'
import { type AnthropicUsageFigures, convertAnthropicUsage } from './convert-anthropic-usage.js'
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js'

export interface AnthropicStreamTranslatorOptions {
  /** Emit the final `choices: []` usage chunk, as OpenAI does for `stream_options.include_usage`. */
  includeUsage: boolean
  /** Unix seconds stamped on every chunk; injected so translation stays pure. */
  created: number
}

export interface AnthropicStreamTranslator {
  /** One upstream SSE event → zero or more canonical chunks. Throws UpstreamError on `event: error`. */
  push(event: SseEvent): ChatChunk[]
  /** Call when the upstream body ends; throws UpstreamError if it ended before `message_stop`. */
  finish(): ChatChunk[]
}

type BlockState =
  | { kind: 'text' }
  | { kind: 'thinking' }
  | { kind: 'tool'; toolIndex: number; hasArguments: boolean; startInput: string | null }
  | { kind: 'ignored' }

const USAGE_KEYS = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const satisfies readonly (keyof AnthropicUsageFigures)[]

function parseEvent(event: SseEvent): AnthropicStreamEvent | null {
  let json: unknown
  try {
    json = JSON.parse(event.data)
  } catch (cause) {
    throw new UpstreamError('Anthropic sent an SSE event that is not JSON', { kind: 'malformed', cause })
  }
  const type = typeof json === 'object' && json !== null ? (json as { type?: unknown }).type : undefined
  // New event types are allowed by Anthropic's versioning policy; the SDK ignores them, and so do we.
  if (!anthropicStreamEventSchema.options.some((option) => option.shape.type.value === type)) return null
  const result = anthropicStreamEventSchema.safeParse(json)
  if (!result.success) {
    throw new UpstreamError(`Anthropic sent a malformed ${String(type)} event`, { kind: 'malformed' })
  }
  return result.data
}

function startInputOf(input: unknown): string | null {
  if (typeof input !== 'object' || input === null || Object.keys(input).length === 0) return null
  return JSON.stringify(input)
}

/**
 * Anthropic SSE events → OpenAI chunks (wire-formats.md §2.5). Tool calls are numbered by their order
 * among tool calls, not by Anthropic's block index (a text block usually comes first). Thinking text is
 * passed on as `delta.reasoning_content`, the field DeepSeek-style clients display; signatures are
 * dropped. A refusal's explanation (stop_details) becomes `delta.refusal`.
 */
export function createAnthropicStreamTranslator(
  options: AnthropicStreamTranslatorOptions,
): AnthropicStreamTranslator {
  let id = ''
  let model = ''
  let hasStarted = false
  let hasStopped = false
  let hasFinishReason = false
  let toolCount = 0
  const blocks = new Map<number, BlockState>()
  const usage: AnthropicUsageFigures = {}

  const chunk = (delta: ChunkDelta, finishReason: FinishReason | null = null): ChatChunk => ({
    id,
    object: 'chat.completion.chunk',
    created: options.created,
    model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  })

  const mergeUsage = (figures: AnthropicUsageFigures | null | undefined): void => {
    // message_delta usage is cumulative and may repeat input figures; a later non-null value wins.
    for (const key of USAGE_KEYS) {
      const value = figures?.[key]
      if (typeof value === 'number') usage[key] = value
    }
  }

  const toolDelta = (toolIndex: number, argumentsFragment: string): ChatChunk =>
    chunk({ tool_calls: [{ index: toolIndex, function: { arguments: argumentsFragment } }] })

  const onBlockStart = (
    event: Extract<AnthropicStreamEvent, { type: 'content_block_start' }>,
  ): ChatChunk[] => {
    const block = event.content_block
    if (block.type === 'text') {
      blocks.set(event.index, { kind: 'text' })
      return block.text ? [chunk({ content: block.text })] : []
    }
    if (block.type === 'thinking') {
      blocks.set(event.index, { kind: 'thinking' })
      return []
    }
    if (block.type !== 'tool_use' || block.id === undefined || block.name === undefined) {
      // server_tool_use, web_search_tool_result, redacted_thinking…: nothing an OpenAI client can use.
      blocks.set(event.index, { kind: 'ignored' })
      return []
    }
    const toolIndex = toolCount++
    blocks.set(event.index, {
      kind: 'tool',
      toolIndex,
      hasArguments: false,
      startInput: startInputOf(block.input),
    })
    return [
      chunk({
        ...(toolIndex === 0 ? { content: null } : {}),
        tool_calls: [
          { index: toolIndex, id: block.id, type: 'function', function: { name: block.name, arguments: '' } },
        ],
      }),
    ]
  }

  /** The block an event names; one never started is a broken stream, whose text would be lost unseen. */
  const blockAt = (index: number, type: string): BlockState => {
    const block = blocks.get(index)
    if (block !== undefined) return block
    throw new UpstreamError(`Anthropic sent ${type} for block ${index}, which never started`, {
      kind: 'malformed',
    })
  }

  const onBlockDelta = (
    event: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>,
  ): ChatChunk[] => {
    const block = blockAt(event.index, event.type)
    const delta = event.delta
    if (block.kind === 'text' && delta.type === 'text_delta' && delta.text)
      return [chunk({ content: delta.text })]
    if (block.kind === 'thinking' && delta.type === 'thinking_delta' && delta.thinking) {
      return [chunk({ reasoning_content: delta.thinking })]
    }
    if (block.kind === 'tool' && delta.type === 'input_json_delta' && delta.partial_json) {
      block.hasArguments = true
      return [toolDelta(block.toolIndex, delta.partial_json)]
    }
    // signature_delta, citations_delta, empty fragments: nothing to forward.
    return []
  }

  const onBlockStop = (index: number): ChatChunk[] => {
    const block = blockAt(index, 'content_block_stop')
    if (block.kind !== 'tool' || block.hasArguments) return []
    block.hasArguments = true
    // A tool without parameters streams no JSON at all; OpenAI clients JSON.parse the arguments, and "" fails.
    return [toolDelta(block.toolIndex, block.startInput ?? '{}')]
  }

  const onMessageDelta = (event: Extract<AnthropicStreamEvent, { type: 'message_delta' }>): ChatChunk[] => {
    mergeUsage(event.usage)
    const stopReason = event.delta.stop_reason
    if (stopReason === null || stopReason === undefined || hasFinishReason) return []
    hasFinishReason = true
    const explanation = event.delta.stop_details?.explanation
    const refusal = stopReason === 'refusal' && explanation ? [chunk({ refusal: explanation })] : []
    return [...refusal, chunk({}, mapAnthropicStopReason(stopReason))]
  }

  const onMessageStop = (): ChatChunk[] => {
    hasStopped = true
    const out: ChatChunk[] = []
    if (!hasFinishReason) out.push(chunk({}, 'stop'))
    hasFinishReason = true
    if (options.includeUsage) out.push({ ...chunk({}), choices: [], usage: convertAnthropicUsage(usage) })
    return out
  }

  return {
    push(sseEvent) {
      if (hasStopped) return []
      const event = parseEvent(sseEvent)
      if (event === null || event.type === 'ping') return []
      if (event.type === 'error') throw anthropicStreamError(event.error.type, event.error.message)
      if (event.type === 'message_start') {
        if (hasStarted) return []
        hasStarted = true
        id = event.message.id
        model = event.message.model
        mergeUsage(event.message.usage)
        return [chunk({ role: 'assistant', content: '' })]
      }
      if (!hasStarted) {
        throw new UpstreamError(`Anthropic sent ${event.type} before message_start`, { kind: 'malformed' })
      }
      switch (event.type) {
        case 'content_block_start':
          return onBlockStart(event)
        case 'content_block_delta':
          return onBlockDelta(event)
        case 'content_block_stop':
          return onBlockStop(event.index)
        case 'message_delta':
          return onMessageDelta(event)
        case 'message_stop':
          return onMessageStop()
      }
    },
    finish() {
      if (hasStopped) return []
      // The stop reason came (message_delta): every block is in, only the closing event is missing.
      if (hasFinishReason) return onMessageStop()
      throw new UpstreamError('Anthropic stream ended before its stop reason', { kind: 'network' })
    },
  }
}
