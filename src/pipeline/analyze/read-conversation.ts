import type { ChatMessage, ChatRequest, ContentPart, MessageContent } from '../../wire/openai/types.js'

/** How much of a long user turn the analyzer reads: the instruction sits at the start or at the end. */
export const USER_HEAD_CHARS = 6_000
export const USER_TAIL_CHARS = 1_500
export const SYSTEM_HEAD_CHARS = 3_000

/** A bounded view of a request: what a person would read first, never the whole history. */
export interface ConversationView {
  /** Last user turn, capped to its head and tail. */
  userText: string
  /** Full length of the last user turn, in characters. */
  userLength: number
  /** Head of the system (or developer) prompt. */
  systemHead: string
  toolCount: number
  hasToolResults: boolean
  /** Messages after the last user turn (assistant tool calls, tool results). */
  turnsAfterUser: number
  messageCount: number
  totalChars: number
}

export function readConversation(request: ChatRequest): ConversationView {
  const messages = request.messages
  let userIndex = -1
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user') {
      userIndex = i
      break
    }
  }
  const userMessage = userIndex >= 0 ? messages[userIndex] : undefined
  const userFull = userMessage ? joinText(userMessage.content, USER_HEAD_CHARS + USER_TAIL_CHARS + 1) : ''
  const userLength = userMessage ? textLength(userMessage.content) : 0
  const userText =
    userFull.length > USER_HEAD_CHARS + USER_TAIL_CHARS
      ? `${userFull.slice(0, USER_HEAD_CHARS)}\n…\n${tailText(userMessage?.content, USER_TAIL_CHARS)}`
      : userFull

  let systemHead = ''
  let hasToolResults = false
  let totalChars = 0
  for (const message of messages) {
    totalChars += textLength(message.content)
    if (isToolResult(message)) hasToolResults = true
    if (
      systemHead.length < SYSTEM_HEAD_CHARS &&
      (message.role === 'system' || message.role === 'developer')
    ) {
      systemHead += joinText(message.content, SYSTEM_HEAD_CHARS - systemHead.length)
    }
  }
  const tools = request.tools ?? []
  if (tools.length > 0) totalChars += JSON.stringify(tools).length
  return {
    userText,
    userLength,
    systemHead,
    toolCount: tools.length,
    hasToolResults,
    turnsAfterUser: userIndex >= 0 ? messages.length - 1 - userIndex : 0,
    messageCount: messages.length,
    totalChars,
  }
}

function isToolResult(message: ChatMessage): boolean {
  if (message.role === 'tool' || message.role === 'function') return true
  if (message.role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
    return true
  }
  // Anthropic-shaped history passed through untouched.
  const content = message.content
  return (
    Array.isArray(content) && content.some((part) => part.type === 'tool_result' || part.type === 'tool_use')
  )
}

/** Text of string content and text parts, stopping once `maxChars` are collected. */
function joinText(content: MessageContent | null | undefined, maxChars: number): string {
  if (content == null) return ''
  if (typeof content === 'string') return content.length > maxChars ? content.slice(0, maxChars) : content
  let out = ''
  for (const part of content) {
    const text = partText(part)
    if (text === undefined) continue
    out += out.length > 0 ? `\n${text}` : text
    if (out.length >= maxChars) return out.slice(0, maxChars)
  }
  return out
}

function tailText(content: MessageContent | null | undefined, maxChars: number): string {
  if (content == null) return ''
  if (typeof content === 'string') return content.slice(-maxChars)
  for (let i = content.length - 1; i >= 0; i--) {
    const text = content[i] ? partText(content[i]!) : undefined
    if (text !== undefined) return text.slice(-maxChars)
  }
  return ''
}

function textLength(content: MessageContent | null | undefined): number {
  if (content == null) return 0
  if (typeof content === 'string') return content.length
  let length = 0
  for (const part of content) {
    length += partText(part)?.length ?? 0
    if (part.type === 'tool_result' && 'content' in part && typeof part.content === 'string') {
      length += part.content.length
    }
  }
  return length
}

function partText(part: ContentPart): string | undefined {
  return part.type === 'text' && 'text' in part && typeof part.text === 'string' ? part.text : undefined
}
