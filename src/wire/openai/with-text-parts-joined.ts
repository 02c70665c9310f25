import type { ChatMessage, ContentPart } from './types.js'

// The OpenAI spec lets system, assistant and tool messages carry an array of text parts, and agents send
// them (Qwen Code's tool results, `content: []` beside tool calls). Several OpenAI-compatible providers
// take only a string there: Groq answers 400 "for 'role:system' the following must be satisfied
// [('messages.0.content' : value must be a string)]", and llama.cpp-style servers refuse the array.
// Joining the text is lossless; an array with anything but text (an image in a tool result) is left as
// it is, and user turns keep their parts for the vision models.

/** The parts' text joined, or null when a part is not text. */
function textOf(parts: readonly ContentPart[]): string | null {
  const texts: string[] = []
  for (const part of parts) {
    if (part.type !== 'text' || typeof part.text !== 'string') return null
    texts.push(part.text)
  }
  return texts.join('\n')
}

function joinedContent(message: ChatMessage): string | null {
  if (message.role === 'user' || message.role === 'function' || !Array.isArray(message.content)) return null
  return textOf(message.content)
}

/** Every non-user turn's text-only part array as one string; the same array when no turn has one. */
export function withTextPartsJoined(messages: readonly ChatMessage[]): readonly ChatMessage[] {
  if (messages.every((message) => joinedContent(message) === null)) return messages
  return messages.map((message): ChatMessage => {
    const text = joinedContent(message)
    if (text === null) return message
    // An assistant turn with `content: []` beside its tool calls said nothing: null, as OpenAI sends it.
    const isBareToolCall =
      message.role === 'assistant' &&
      text === '' &&
      Array.isArray(message.tool_calls) &&
      message.tool_calls.length > 0
    return { ...message, content: isBareToolCall ? null : text } as ChatMessage
  })
}
