import { InvalidRequestError } from '../../errors.js'
import type { MessageContent } from '../openai/types.js'
import { parseDataUrl } from './parse-data-url.js'
import type {
  AnthropicCacheControl,
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicTextBlock,
} from './types.js'

export type AnthropicInputBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock

function isBlank(text: string): boolean {
  return text.trim() === ''
}

function unsupported(path: string, what: string): InvalidRequestError {
  return new InvalidRequestError(`${what} cannot be sent to Anthropic models.`, {
    param: path,
    code: 'unsupported_content',
  })
}

function toImageBlock(url: string, path: string): AnthropicImageBlock {
  if (url.startsWith('data:')) {
    const parsed = parseDataUrl(url)
    if (parsed === null) throw unsupported(path, 'An image data URL that is not base64')
    return { type: 'image', source: { type: 'base64', media_type: parsed.mediaType, data: parsed.data } }
  }
  return { type: 'image', source: { type: 'url', url } }
}

function toFileBlock(part: { [key: string]: unknown }, path: string): AnthropicDocumentBlock {
  const file = part.file
  const fileData =
    typeof file === 'object' && file !== null ? (file as { file_data?: unknown }).file_data : null
  const parsed = typeof fileData === 'string' ? parseDataUrl(fileData) : null
  // Anthropic's document block reads PDFs; other files (and OpenAI file ids) have no equivalent.
  if (parsed?.mediaType !== 'application/pdf')
    throw unsupported(path, 'A file part other than a PDF data URL')
  return { type: 'document', source: { type: 'base64', media_type: parsed.mediaType, data: parsed.data } }
}

/** A part's own breakpoint, as OpenRouter-style clients put it on a text part. */
function cacheControlOf(part: object): { cache_control?: AnthropicCacheControl } {
  const control = (part as { cache_control?: unknown }).cache_control
  const isControl =
    typeof control === 'object' &&
    control !== null &&
    typeof (control as { type?: unknown }).type === 'string'
  return isControl ? { cache_control: control as AnthropicCacheControl } : {}
}

/**
 * OpenAI user or tool content → Anthropic blocks. Whitespace-only text is dropped because Anthropic
 * rejects it ("text content blocks must contain non-whitespace text"); the caller decides what an empty
 * result means. Parts Anthropic cannot read (audio, non-PDF files) throw rather than vanish silently.
 */
export function toAnthropicBlocks(
  content: MessageContent | null | undefined,
  path: string,
): AnthropicInputBlock[] {
  if (content === null || content === undefined) return []
  if (typeof content === 'string') return isBlank(content) ? [] : [{ type: 'text', text: content }]
  const blocks: AnthropicInputBlock[] = []
  content.forEach((part, index) => {
    const partPath = `${path}.${index}`
    if (part.type === 'text' && typeof part.text === 'string') {
      if (!isBlank(part.text)) blocks.push({ type: 'text', text: part.text, ...cacheControlOf(part) })
    } else if (part.type === 'refusal' && typeof part.refusal === 'string') {
      // An assistant's earlier refusal is plain text to Anthropic.
      if (!isBlank(part.refusal)) blocks.push({ type: 'text', text: part.refusal })
    } else if (part.type === 'image_url') {
      const imageUrl = part.image_url
      const url =
        typeof imageUrl === 'object' && imageUrl !== null ? (imageUrl as { url?: unknown }).url : null
      if (typeof url !== 'string') throw unsupported(partPath, 'An image_url part without a url')
      blocks.push(toImageBlock(url, partPath))
    } else if (part.type === 'file') {
      blocks.push(toFileBlock(part, partPath))
    } else {
      throw unsupported(partPath, `A "${part.type}" content part`)
    }
  })
  return blocks
}
