import { expect } from 'vitest'
import { assertMatchesSchema } from '../support/openapi.js'
import type { ChatOutcome } from './read-chat-answer.js'
import { readSseFrames } from './read-sse-frames.js'

// What a Responses client (Codex, `client.responses.create`) reads from /v1/responses, checked against
// the Responses schemas of OpenAI's spec: a Response, an OpenAI error body, or a stream of named events
// numbered from 0 that ends with response.completed/incomplete, or with `error` (nothing was sent) or
// response.failed (something was).

interface OutputItem {
  type: string
  content?: { type: string; text?: string }[]
}

const textOf = (output: OutputItem[]): string =>
  output
    .flatMap((item) => (item.type === 'message' ? (item.content ?? []) : []))
    .map((part) => (part.type === 'output_text' ? (part.text ?? '') : ''))
    .join('')

function readHttpError(body: unknown, label: string): string {
  assertMatchesSchema('ErrorResponse', body)
  const error = (body as { error: Record<string, unknown> }).error
  expect(Object.keys(error).sort(), label).toEqual(['code', 'message', 'param', 'type'])
  return String(error.message)
}

/** The answer's text, or its error message, as a Responses client reads it from /v1/responses. */
export function readResponsesAnswer(
  outcome: ChatOutcome,
  stream: boolean,
): { text: string; error: string | null } {
  const label = outcome.text.slice(0, 300)
  if (outcome.status !== 200) {
    expect([429, 502, 503, 504], label).toContain(outcome.status)
    return { text: '', error: readHttpError(JSON.parse(outcome.text), label) }
  }
  if (!stream) {
    const response = JSON.parse(outcome.text) as { status: string; output: OutputItem[] }
    assertMatchesSchema('Response', response)
    expect(['completed', 'incomplete'], label).toContain(response.status)
    return { text: textOf(response.output), error: null }
  }
  const frames = readSseFrames(outcome.text)
  for (const [index, frame] of frames.entries()) {
    const event = JSON.parse(frame.data) as {
      type: string
      sequence_number: number
      message?: string
      response?: { status: string; output: OutputItem[]; error: { message: string } | null }
    }
    expect(event.type, 'the event name is the type').toBe(frame.event)
    expect(event.sequence_number, 'numbered from 0').toBe(index)
    assertMatchesSchema('ResponseStreamEvent', event)
    const isLast = index === frames.length - 1
    if (event.type === 'error') {
      expect(index, 'an error event only when nothing was sent').toBe(0)
      expect(isLast, 'nothing after an error event').toBe(true)
      return { text: '', error: event.message! }
    }
    if (event.type === 'response.failed') {
      expect(isLast, 'nothing after response.failed').toBe(true)
      return { text: textOf(event.response!.output), error: event.response!.error!.message }
    }
    if (event.type === 'response.completed' || event.type === 'response.incomplete') {
      expect(isLast, `nothing after ${event.type}`).toBe(true)
      return { text: textOf(event.response!.output), error: null }
    }
  }
  throw new Error(
    `the stream ended with neither response.completed nor a failure: ${outcome.text.slice(-300)}`,
  )
}
