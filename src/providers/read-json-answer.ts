import type { Dispatcher } from 'undici'
import { UpstreamError } from '../errors.js'
import { toUpstreamError } from './post-upstream.js'
import { readBoundedBody } from './read-bounded-body.js'

/** A JSON answer read whole (bounded): a body that is not JSON is a malformed answer. */
export async function readJsonAnswer(
  body: Dispatcher.ResponseData['body'],
  maxBytes: number,
  provider: string,
): Promise<unknown> {
  let text: string
  try {
    text = await readBoundedBody(body, maxBytes, provider)
  } catch (error) {
    if (!body.destroyed) body.destroy()
    throw toUpstreamError(error, provider)
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new UpstreamError(`${provider} answered with a body that is not JSON`, { kind: 'malformed' })
  }
}
