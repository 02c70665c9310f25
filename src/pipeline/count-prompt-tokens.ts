import { countTokens } from 'gpt-tokenizer'
import type { ChatRequest, MessageContent } from '../wire/openai/types.js'

// A real tokenizer (o200k) for prompts of ordinary size; past this many characters the count is
// extrapolated from the first slice, so a 100 KB agent prompt never costs more than one small encode.
const EXACT_LIMIT_CHARS = 16_000

function textOf(content: MessageContent | null | undefined): string {
  if (content === null || content === undefined) return ''
  if (typeof content === 'string') return content
  return content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('\n')
}

/** Collects every piece of text a model would read: messages, tool calls and tool definitions. */
export function promptText(request: ChatRequest): string {
  const pieces: string[] = []
  for (const message of request.messages) {
    pieces.push(textOf(message.content as MessageContent | null | undefined))
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls) pieces.push(call.function.name, call.function.arguments)
    }
  }
  if (request.tools !== undefined) pieces.push(JSON.stringify(request.tools))
  return pieces.join('\n')
}

/** Estimated prompt tokens: exact below EXACT_LIMIT_CHARS, extrapolated above; ~4 per message of framing. */
export function countPromptTokens(request: ChatRequest): number {
  const text = promptText(request)
  const framing = request.messages.length * 4
  if (text.length <= EXACT_LIMIT_CHARS) return countTokens(text) + framing
  const sample = text.slice(0, EXACT_LIMIT_CHARS)
  return Math.ceil((countTokens(sample) * text.length) / EXACT_LIMIT_CHARS) + framing
}
