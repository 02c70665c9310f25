import type { IncomingHttpHeaders } from 'node:http'

/** Which of the APIs SmartSplit speaks a request was meant for, as far as its path and headers tell. */
export type PathApi = 'anthropic' | 'responses' | 'openai' | 'smartsplit' | 'unknown'

// SmartSplit's own pages, and the OpenAI endpoints a client may ask under a wrong prefix.
const SMARTSPLIT_SEGMENTS = new Set(['health', 'metrics', 'savings', 'dashboard'])
const OPENAI_SEGMENTS = new Set(['completions', 'embeddings', 'models', 'chat', 'openai'])

/** The path's segments, without query, empty segments or a trailing slash; bounded to the first 32. */
export function pathSegments(url: string): string[] {
  const path = url.split('?', 1)[0] ?? ''
  return path
    .split('/', 34)
    .filter((segment) => segment !== '')
    .slice(0, 32)
}

/** The API the segments name, or null when they name none. */
function apiOfSegments(segments: readonly string[]): PathApi | null {
  // Checked in this order: /v1/threads/{id}/messages is OpenAI's, /anthropic/v1/models Anthropic's.
  if (segments.includes('threads')) return 'openai'
  if (segments.includes('messages') || segments.includes('anthropic') || segments.at(-1) === 'complete')
    return 'anthropic'
  if (segments.includes('responses')) return 'responses'
  if (segments.some((segment) => OPENAI_SEGMENTS.has(segment))) return 'openai'
  const [first, second] = segments
  if (first === 'v1' && second === 'plan' && segments.length === 2) return 'smartsplit'
  if (first !== undefined && SMARTSPLIT_SEGMENTS.has(first)) return 'smartsplit'
  return null
}

/**
 * The API a request names: by its path first (/messages, /v1/complete, /anthropic/… are Anthropic's,
 * …/responses the Responses API's), then by the headers only Anthropic SDKs send (`anthropic-version`,
 * `x-api-key` without `authorization`).
 */
export function apiOfPath(url: string, headers: IncomingHttpHeaders): PathApi {
  const named = apiOfSegments(pathSegments(url).map((segment) => segment.toLowerCase()))
  if (named !== null) return named
  if (headers['anthropic-version'] !== undefined) return 'anthropic'
  if (headers['x-api-key'] !== undefined && headers.authorization === undefined) return 'anthropic'
  return 'unknown'
}
