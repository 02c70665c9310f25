import { expect } from 'vitest'
import { assertMatchesSchema } from '../support/openapi.js'

/** One chat completion as a client received it: status, time taken, whole body. */
export interface ChatOutcome {
  status: number
  ms: number
  text: string
}

/**
 * The answer's text if it succeeded, or its OpenAI error (checked against the spec) if it failed. A
 * stream must end with [DONE] or with one error event and nothing after it.
 */
export function readChatAnswer(
  outcome: ChatOutcome,
  stream: boolean,
): { text: string; error: string | null } {
  if (outcome.status !== 200) {
    expect([429, 502, 503, 504], outcome.text.slice(0, 300)).toContain(outcome.status)
    const body = JSON.parse(outcome.text) as unknown
    assertMatchesSchema('ErrorResponse', body)
    return { text: '', error: (body as { error: { message: string } }).error.message }
  }
  if (!stream) {
    const body = JSON.parse(outcome.text) as { choices: { message: { content: string } }[] }
    assertMatchesSchema('CreateChatCompletionResponse', body)
    return { text: body.choices[0]!.message.content, error: null }
  }
  const events = outcome.text
    .split(/\n\n/)
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice(6))
  let text = ''
  for (const [index, data] of events.entries()) {
    if (data === '[DONE]') return { text, error: null }
    const json = JSON.parse(data) as {
      error?: { message: string }
      choices: { delta: { content?: string } }[]
    }
    if (json.error !== undefined) {
      assertMatchesSchema('ErrorResponse', json)
      expect(index, 'an error event is the last event, with no [DONE]').toBe(events.length - 1)
      return { text, error: json.error.message }
    }
    assertMatchesSchema('CreateChatCompletionStreamResponse', json)
    text += json.choices[0]?.delta.content ?? ''
  }
  throw new Error(`the stream ended with neither [DONE] nor an error event: ${outcome.text.slice(-300)}`)
}
