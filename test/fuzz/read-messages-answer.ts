import { expect } from 'vitest'
import type { ChatOutcome } from './read-chat-answer.js'
import { readSseFrames } from './read-sse-frames.js'

// What an Anthropic client (Claude Code, the Anthropic SDK) reads from /v1/messages, checked against
// Anthropic's wire format (wire-formats.md §2.2–2.4) and nothing else: never an OpenAI-shaped body, a
// `data:`-only frame or a [DONE].

/** Anthropic's error types (wire-formats.md §2.4). */
const ERROR_TYPES = [
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
]

/** `{type:"error", error:{type, message}}` and nothing else; returns the message. */
function readAnthropicError(body: unknown, label: string): string {
  const error = body as { type: string; error: { type: string; message: string } }
  expect(Object.keys(error).sort(), label).toEqual(['error', 'type'])
  expect(error.type, label).toBe('error')
  expect(Object.keys(error.error).sort(), label).toEqual(['message', 'type'])
  expect(ERROR_TYPES, label).toContain(error.error.type)
  expect(typeof error.error.message, label).toBe('string')
  return error.error.message
}

interface Block {
  type: string
  text?: string
}

function readMessage(body: unknown, label: string): string {
  const message = body as { id: string; type: string; role: string; content: Block[]; stop_reason: string }
  expect(message.type, label).toBe('message')
  expect(message.role, label).toBe('assistant')
  expect(message.id, label).toMatch(/^msg_/)
  expect(typeof message.stop_reason, label).toBe('string')
  expect(Array.isArray(message.content), label).toBe(true)
  return message.content.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join('')
}

/** Anthropic's event order: message_start, blocks started before their deltas and stops, message_stop last. */
class EventOrder {
  text = ''
  #started = false
  #open = new Set<number>()
  #nextIndex = 0

  read(type: string, data: Record<string, unknown>, label: string): void {
    if (type === 'ping') return
    if (type === 'message_start') {
      expect(this.#started, `${label}: one message_start`).toBe(false)
      this.#started = true
      return
    }
    expect(this.#started, `${label}: ${type} after message_start`).toBe(true)
    const index = data.index as number
    if (type === 'content_block_start') {
      expect(index, `${label}: blocks numbered in order`).toBe(this.#nextIndex++)
      this.#open.add(index)
    } else if (type === 'content_block_delta') {
      expect(this.#open.has(index), `${label}: delta for an open block`).toBe(true)
      const delta = data.delta as { type: string; text?: string }
      if (delta.type === 'text_delta') this.text += delta.text
    } else if (type === 'content_block_stop') {
      expect(this.#open.delete(index), `${label}: stop for an open block`).toBe(true)
    } else if (type === 'message_delta' || type === 'message_stop') {
      expect([...this.#open], `${label}: ${type} after every block stopped`).toEqual([])
    } else throw new Error(`${label}: an event Anthropic does not send: ${type}`)
  }
}

/** The answer's text, or its error message, as an Anthropic client reads it from /v1/messages. */
export function readMessagesAnswer(
  outcome: ChatOutcome,
  stream: boolean,
): { text: string; error: string | null } {
  const label = outcome.text.slice(0, 300)
  if (outcome.status !== 200) {
    expect([429, 502, 503, 504, 529], label).toContain(outcome.status)
    return { text: '', error: readAnthropicError(JSON.parse(outcome.text), label) }
  }
  if (!stream) return { text: readMessage(JSON.parse(outcome.text), label), error: null }
  const frames = readSseFrames(outcome.text)
  const order = new EventOrder()
  for (const [index, frame] of frames.entries()) {
    expect(frame.event, `every Anthropic event is named: ${frame.data.slice(0, 200)}`).toBeDefined()
    const data = JSON.parse(frame.data) as Record<string, unknown>
    expect(data.type, 'the event name is the type').toBe(frame.event)
    const isLast = index === frames.length - 1
    if (frame.event === 'error') {
      expect(isLast, 'an error event is the last event').toBe(true)
      return { text: order.text, error: readAnthropicError(data, frame.data) }
    }
    order.read(frame.event!, data, frame.data.slice(0, 200))
    if (frame.event === 'message_stop') {
      expect(isLast, 'message_stop is the last event').toBe(true)
      return { text: order.text, error: null }
    }
  }
  throw new Error(
    `the stream ended with neither message_stop nor an error event: ${outcome.text.slice(-300)}`,
  )
}
