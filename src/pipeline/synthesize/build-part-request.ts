import type { ChatMessage, ChatRequest } from '../../wire/openai/types.js'
import type { PlannedPart } from '../types.js'

/**
 * The request one part is answered with: the whole conversation (system prompt, history, the user's
 * full message with anything pasted in it), then a note saying which part to answer now, what the other
 * parts are (so nothing is answered twice), and the answers of the parts it depends on.
 */
export function buildPartRequest(
  request: ChatRequest,
  part: PlannedPart,
  parts: readonly PlannedPart[],
  inputs: readonly { part: PlannedPart; answer: string }[],
): ChatRequest {
  const lastUser = request.messages.findLastIndex((m) => m.role === 'user')
  const others = parts.filter((p) => p.index !== part.index).map((p) => `"${p.text}"`)
  const lines = [
    'Your request has several parts that are answered separately and combined afterwards.',
    `Answer only this part now: "${part.text}"`,
    others.length > 0
      ? `Do not answer the other parts (${others.join('; ')}); they are handled separately.`
      : '',
    ...inputs.map(
      ({ part: input, answer }) =>
        `\nThe answer to the earlier part "${input.text}" is:\n<<<\n${answer}\n>>>`,
    ),
  ].filter((line) => line !== '')
  const note: ChatMessage = { role: 'user', content: lines.join('\n') }
  const messages = [...request.messages.slice(0, lastUser + 1), note]
  const { stream: _stream, stream_options: _options, n: _n, ...rest } = request
  return { ...rest, messages }
}
