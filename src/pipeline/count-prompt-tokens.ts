import { createRequire } from 'node:module'
import { contentText } from '../wire/openai/content-text.js'
import type { ChatRequest, MessageContent } from '../wire/openai/types.js'

// A real tokenizer (o200k) counts tokens where the number matters to the user: count_tokens answers
// and usage the provider did not report. It is loaded on first use: its tables cost ~65 MB of memory,
// which an instance that never needs them should not pay. Past EXACT_LIMIT_CHARS the count is
// extrapolated from the first slice, so a 100 KB agent prompt never costs more than one small encode.
const EXACT_LIMIT_CHARS = 16_000

type CountTokens = (text: string) => number
let loadedCountTokens: CountTokens | null = null

function tokenizer(): CountTokens {
  loadedCountTokens ??= (createRequire(import.meta.url)('gpt-tokenizer') as { countTokens: CountTokens })
    .countTokens
  return loadedCountTokens
}

/** Exact token count of a text (tokenizer loaded on first call). */
export function countTextTokens(text: string): number {
  if (text.length <= EXACT_LIMIT_CHARS) return tokenizer()(text)
  return Math.ceil((tokenizer()(text.slice(0, EXACT_LIMIT_CHARS)) * text.length) / EXACT_LIMIT_CHARS)
}

/** Collects every piece of text a model would read: messages, tool calls and tool definitions. */
export function promptText(request: ChatRequest): string {
  const pieces: string[] = []
  for (const message of request.messages) {
    pieces.push(contentText(message.content as MessageContent | null | undefined))
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls) pieces.push(call.function.name, call.function.arguments)
    }
  }
  if (request.tools !== undefined) pieces.push(JSON.stringify(request.tools))
  return pieces.join('\n')
}

/** Prompt tokens by the tokenizer; ~4 per message of framing. */
export function countPromptTokens(request: ChatRequest): number {
  return countTextTokens(promptText(request)) + request.messages.length * 4
}

/**
 * A cheap upper-leaning estimate for reserving rate-limit budget on every request (≈ 3.5 characters per
 * token, a little above what tokenizers give for English and code); the reservation is settled with the
 * provider's real usage afterwards, so only its order of magnitude matters.
 */
export function estimatePromptTokens(request: ChatRequest): number {
  let characters = 0
  for (const message of request.messages) {
    characters += contentText(message.content as MessageContent | null | undefined).length
    if (message.role === 'assistant' && Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls)
        characters += call.function.name.length + call.function.arguments.length
    }
  }
  if (request.tools !== undefined) characters += JSON.stringify(request.tools).length
  return Math.ceil(characters / 3.5) + request.messages.length * 4
}
