import type { AssistantMessage, ChatMessage, ContentPart, MessageContent } from '../openai/types.js'
import type {
  ResponsesContentPart,
  ResponsesFunctionCallOutputItem,
  ResponsesInputItem,
  ResponsesMessageItem,
} from './types.js'

function toPart(part: ResponsesContentPart): ContentPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text }
    case 'refusal':
      return { type: 'text', text: part.refusal }
    case 'input_image': {
      const image: { url: string; detail?: 'auto' | 'low' | 'high' } = { url: part.image_url ?? '' }
      if (part.detail !== undefined && part.detail !== null) image.detail = part.detail
      return { type: 'image_url', image_url: image }
    }
    case 'input_file':
      // Chat file parts take inline data only; a file URL is passed on as text the model can read.
      if (part.file_data === undefined) return { type: 'text', text: `Document: ${part.file_url ?? ''}` }
      return { type: 'file', file: { file_data: part.file_data, filename: part.filename ?? 'document.pdf' } }
  }
}

/** One text part travels as a plain string, the form every OpenAI-compatible provider accepts. */
function toContent(content: ResponsesMessageItem['content']): MessageContent {
  if (typeof content === 'string') return content
  const parts = content.map(toPart)
  const only = parts[0]
  if (parts.length === 1 && only?.type === 'text' && typeof only.text === 'string') return only.text
  return parts
}

function isText(part: ContentPart): part is { type: 'text'; text: string } {
  return part.type === 'text' && typeof part.text === 'string'
}

/** Assistant turns carry text only in Chat Completions. */
function assistantText(content: ResponsesMessageItem['content']): string {
  if (typeof content === 'string') return content
  return content
    .map(toPart)
    .flatMap((part) => (isText(part) ? [part.text] : []))
    .join('')
}

function fromMessage(item: ResponsesMessageItem): ChatMessage {
  switch (item.role) {
    case 'assistant': {
      const text = assistantText(item.content)
      return { role: 'assistant', content: text === '' ? null : text }
    }
    // Developer messages (Codex sends its environment context as one) become system messages: many
    // open-model providers reject the developer role, and every model reads system.
    case 'system':
    case 'developer':
      return { role: 'system', content: toContent(item.content) }
    case 'user':
      return { role: 'user', content: toContent(item.content) }
  }
}

/** Chat tool messages carry text only, so images and files in an output move to a user message after. */
function toolOutputText(item: ResponsesFunctionCallOutputItem, movedParts: ContentPart[]): string {
  if (typeof item.output === 'string') return item.output
  const texts: string[] = []
  for (const part of item.output.map(toPart)) {
    if (isText(part)) texts.push(part.text)
    else movedParts.push(part)
  }
  return texts.join('\n')
}

/**
 * Responses input items → Chat messages, in order. function_call items join the assistant message just
 * before them (its text and every consecutive call become one message with tool_calls, as Chat requires);
 * function_call_output items become tool messages with the same call_id; reasoning and dropped items are
 * skipped.
 */
export function fromResponsesInput(items: readonly ResponsesInputItem[]): ChatMessage[] {
  const messages: ChatMessage[] = []
  let movedParts: ContentPart[] = []
  const flushMoved = (): void => {
    if (movedParts.length === 0) return
    messages.push({ role: 'user', content: movedParts })
    movedParts = []
  }
  for (const item of items) {
    if (item === null || item.type === 'reasoning' || item.type === 'item_reference') continue
    if (item.type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: toolOutputText(item, movedParts) })
      continue
    }
    flushMoved()
    if (item.type === 'function_call') {
      const call = {
        id: item.call_id,
        type: 'function' as const,
        function: { name: item.name, arguments: item.arguments },
      }
      const last = messages.at(-1)
      if (last?.role === 'assistant') {
        const assistant = last as AssistantMessage
        assistant.tool_calls ??= []
        assistant.tool_calls.push(call)
      } else {
        messages.push({ role: 'assistant', content: null, tool_calls: [call] })
      }
      continue
    }
    messages.push(fromMessage(item))
  }
  flushMoved()
  return messages
}
