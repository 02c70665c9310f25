import { InvalidRequestError } from '../errors.js'

/** Deeper than any real request; deep enough nesting would overflow JSON.stringify later. */
export const MAX_JSON_DEPTH = 64

/**
 * Whether a parsed value nests objects and arrays deeper than `limit` (the top level counts as 1). Walks
 * the parsed value, not the text: a 100 KB agent turn is mostly long strings, which a character scan
 * reads one by one while this walk visits only the few hundred containers. Iterative, so a hostile
 * nesting cannot overflow the stack here.
 */
function nestsDeeperThan(value: object, limit: number): boolean {
  const nodes: object[] = [value]
  const depths: number[] = [1]
  while (nodes.length > 0) {
    const node = nodes.pop() as Record<string, unknown>
    const depth = depths.pop() as number
    if (depth > limit) return true
    for (const key in node) {
      const child = node[key]
      if (typeof child === 'object' && child !== null) {
        nodes.push(child)
        depths.push(depth + 1)
      }
    }
  }
  return false
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
  if (typeof value === 'object' && value !== null && nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    throw new InvalidRequestError(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`, {
      code: 'too_deeply_nested',
    })
  }
  return value
}
