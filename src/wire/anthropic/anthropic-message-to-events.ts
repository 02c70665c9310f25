import { UpstreamError } from '../../errors.js'
import type { SseEvent } from '../sse.js'

type Json = Record<string, unknown>

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const event = (payload: Json): SseEvent => ({ event: String(payload.type), data: JSON.stringify(payload) })

const notAMessage = (what: string): UpstreamError =>
  new UpstreamError(`Anthropic answered JSON that is not a message (${what})`, { kind: 'malformed' })

/** One content block → the start, delta and stop events that stream it. */
function blockEvents(block: unknown, index: number): SseEvent[] {
  if (!isRecord(block) || typeof block.type !== 'string') throw notAMessage(`content.${index}`)
  const start = (content_block: Json): SseEvent =>
    event({ type: 'content_block_start', index, content_block })
  const delta = (payload: Json): SseEvent => event({ type: 'content_block_delta', index, delta: payload })
  const stop = event({ type: 'content_block_stop', index })
  switch (block.type) {
    case 'text':
      return [start({ type: 'text', text: '' }), delta({ type: 'text_delta', text: block.text }), stop]
    case 'thinking':
      return [
        start({ type: 'thinking', thinking: '' }),
        delta({ type: 'thinking_delta', thinking: block.thinking }),
        stop,
      ]
    case 'tool_use': {
      const input = JSON.stringify(block.input ?? {})
      return [
        start({ type: 'tool_use', id: block.id, name: block.name, input: {} }),
        delta({ type: 'input_json_delta', partial_json: input }),
        stop,
      ]
    }
    default:
      // server_tool_use, redacted_thinking…: started and stopped whole, as a stream would carry them.
      return [start(block), stop]
  }
}

/**
 * A whole Messages API JSON body → the SSE events a stream of the same message carries, so the one stream
 * translator reads both (some upstreams and proxies answer `stream: true` with the JSON message). An error
 * body (`{"type":"error",…}`, which a proxy may send with a 200) becomes the error event it would be in a
 * stream, so it fails as an error and is never taken for an answer; anything else is malformed.
 */
export function anthropicMessageToEvents(json: unknown): SseEvent[] {
  if (!isRecord(json)) throw notAMessage('not an object')
  if (json.type === 'error') return [event(json)]
  if (json.type !== 'message' || !Array.isArray(json.content)) throw notAMessage(`type ${String(json.type)}`)
  const { content, stop_reason, stop_sequence, stop_details, usage, ...message } = json
  const events = [
    event({
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage },
    }),
  ]
  content.forEach((block, index) => {
    events.push(...blockEvents(block, index))
  })
  events.push(
    event({ type: 'message_delta', delta: { stop_reason, stop_sequence, stop_details }, usage }),
    event({ type: 'message_stop' }),
  )
  return events
}
