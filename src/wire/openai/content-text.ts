import type { MessageContent } from './types.js'

/** The text a message's content carries: the string, or its non-empty text parts joined by `separator`. */
export function contentText(content: MessageContent | null | undefined, separator = '\n'): string {
  if (content === null || content === undefined) return ''
  if (typeof content === 'string') return content
  return content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join(separator)
}
