import { InvalidRequestError } from '../../errors.js'
import type { ContentPart } from '../openai/types.js'
import type { GeminiFileDataPart, GeminiInlineDataPart } from './types.js'

// Gemini wants a mimeType on every file reference; a URL only hints at it through its extension.
const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  mp4: 'video/mp4',
}

function guessMimeType(url: string, fallback = 'image/jpeg'): string {
  const path = url.split(/[?#]/, 1)[0] ?? ''
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase()
  return MIME_BY_EXTENSION[extension] ?? fallback
}

/** `data:<mime>[;base64],<payload>` → inlineData; a percent-encoded payload is re-encoded as base64. */
function fromDataUrl(url: string, param: string): GeminiInlineDataPart {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url)
  if (match === null)
    throw new InvalidRequestError(`${param} is not a valid data URL (data:<type>;base64,<data>).`, { param })
  const [, mimeType = '', attributes = '', payload = ''] = match
  const isBase64 = attributes.split(';').includes('base64')
  const data = isBase64 ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64')
  return { inlineData: { mimeType: mimeType || 'application/octet-stream', data } }
}

function fromUrl(url: string, param: string, mimeType?: string): GeminiInlineDataPart | GeminiFileDataPart {
  if (url.startsWith('data:')) return fromDataUrl(url, param)
  if (/^(https?|gs):\/\//i.test(url))
    return { fileData: { mimeType: mimeType ?? guessMimeType(url), fileUri: url } }
  throw new InvalidRequestError(
    `${param} has an unsupported URL scheme: send an http(s) URL or a data URL.`,
    { param },
  )
}

function readString(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const field = (value as Record<string, unknown>)[key]
  return typeof field === 'string' ? field : undefined
}

/**
 * One non-text OpenAI content part → inlineData (data URLs, input_audio, file_data) or fileData (http(s)
 * and gs:// URLs). Anything else is refused: silently dropping an attachment changes the question.
 */
export function toGeminiMediaPart(
  part: ContentPart,
  param: string,
): GeminiInlineDataPart | GeminiFileDataPart {
  if (part.type === 'image_url') {
    const url = readString(part.image_url, 'url')
    if (url !== undefined) return fromUrl(url, `${param}.image_url.url`)
  }
  if (part.type === 'input_audio') {
    const data = readString(part.input_audio, 'data')
    const format = readString(part.input_audio, 'format') ?? 'wav'
    if (data !== undefined) return { inlineData: { mimeType: `audio/${format}`, data } }
  }
  if (part.type === 'file') {
    const fileData = readString(part.file, 'file_data')
    if (fileData?.startsWith('data:')) return fromDataUrl(fileData, `${param}.file.file_data`)
    // Some clients send bare base64 and let the filename tell the type.
    const filename = readString(part.file, 'filename') ?? ''
    if (fileData !== undefined)
      return { inlineData: { mimeType: guessMimeType(filename, 'application/pdf'), data: fileData } }
  }
  throw new InvalidRequestError(`Content part type "${part.type}" cannot be sent to Gemini.`, { param })
}
