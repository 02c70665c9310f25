// What the fake Anthropic API sends back for a scripted text or tool reply: the exact SSE events of a
// real stream (message_start, a ping after the first block start, input_json_delta split into small
// pieces starting with an empty one, cumulative usage in message_delta) or the equivalent JSON message.

export interface FakeToolCall {
  id?: string
  name: string
  input: Record<string, unknown>
}

export interface FakeMessageContent {
  id: string
  model: string
  text: string
  calls: FakeToolCall[]
  stopReason: string
  inputTokens: number
  cacheReadTokens: number
  /** Characters per text_delta / input_json_delta. */
  pieceSize: number
}

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }

function blocksOf(content: FakeMessageContent): Block[] {
  const blocks: Block[] = content.text === '' ? [] : [{ type: 'text', text: content.text }]
  content.calls.forEach((call, index) => {
    const id = call.id ?? `toolu_fake${content.id.slice(-4)}${index}`
    blocks.push({ type: 'tool_use', id, name: call.name, input: call.input })
  })
  return blocks
}

function split(text: string, size: number): string[] {
  const pieces: string[] = []
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size))
  return pieces
}

function outputTokens(content: FakeMessageContent): number {
  return Math.ceil(content.text.length / 4) + content.calls.length * 12
}

function usage(content: FakeMessageContent): Record<string, number> {
  return {
    input_tokens: content.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: content.cacheReadTokens,
    output_tokens: outputTokens(content),
  }
}

const sse = (payload: Record<string, unknown>): string =>
  `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`

/** The message_start event alone, for streams that fail right after it. */
export function fakeMessageStart(content: FakeMessageContent): string {
  const message = {
    id: content.id,
    type: 'message',
    role: 'assistant',
    model: content.model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { ...usage(content), output_tokens: 1, service_tier: 'standard' },
  }
  return sse({ type: 'message_start', message })
}

/** The SSE frames of a whole streamed message, each an `event:` + `data:` pair. No [DONE]. */
export function fakeMessageEvents(content: FakeMessageContent): string[] {
  const frames = [fakeMessageStart(content)]
  blocksOf(content).forEach((block, index) => {
    if (block.type === 'text') {
      frames.push(sse({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }))
      if (index === 0) frames.push(sse({ type: 'ping' }))
      for (const text of split(block.text, content.pieceSize)) {
        frames.push(sse({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }))
      }
    } else {
      const start = { type: 'tool_use', id: block.id, name: block.name, input: {} }
      frames.push(sse({ type: 'content_block_start', index, content_block: start }))
      if (index === 0) frames.push(sse({ type: 'ping' }))
      for (const partial of ['', ...split(JSON.stringify(block.input), content.pieceSize)]) {
        frames.push(
          sse({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json: partial },
          }),
        )
      }
    }
    frames.push(sse({ type: 'content_block_stop', index }))
  })
  frames.push(
    sse({
      type: 'message_delta',
      delta: { stop_reason: content.stopReason, stop_sequence: null },
      usage: usage(content),
    }),
  )
  frames.push(sse({ type: 'message_stop' }))
  return frames
}

/** The same message as a non-streaming JSON body. */
export function fakeMessageJson(content: FakeMessageContent): Record<string, unknown> {
  return {
    id: content.id,
    type: 'message',
    role: 'assistant',
    model: content.model,
    content: blocksOf(content),
    stop_reason: content.stopReason,
    stop_sequence: null,
    usage: usage(content),
  }
}
