import { InvalidRequestError } from '../errors.js'

/** Deeper than any real request; deep enough nesting would overflow JSON.stringify later. */
export const MAX_JSON_DEPTH = 64

/** The deepest nesting of objects and arrays in a JSON text, counting only brackets outside strings. */
function jsonDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (inString) {
      if (code === 92)
        i++ // backslash: skip the escaped character
      else if (code === 34) inString = false
    } else if (code === 34) inString = true
    else if (code === 123 || code === 91) {
      depth++
      if (depth > deepest) deepest = depth
    } else if (code === 125 || code === 93) depth--
  }
  return deepest
}

/** Request bytes → JSON value; empty bodies are `undefined` (the route decides whether that is fine). */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined
  const text = body.toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InvalidRequestError(`The request body is not valid JSON: ${(error as Error).message}.`, {
      code: 'invalid_json',
    })
  }
  if (typeof value === 'object' && value !== null && jsonDepth(text) > MAX_JSON_DEPTH) {
    throw new InvalidRequestError(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`, {
      code: 'too_deeply_nested',
    })
  }
  return value
}
