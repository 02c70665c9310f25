import { UpstreamError } from '../errors.js'

/**
 * A whole response body as text, refusing one larger than `maxBytes` as malformed (a 200 JSON body that
 * never ends must not be read until memory runs out). Errors of the transport itself are rethrown.
 */
export async function readBoundedBody(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  provider: string,
): Promise<string> {
  const pieces: Uint8Array[] = []
  let size = 0
  for await (const piece of body) {
    size += piece.length
    if (size > maxBytes)
      throw new UpstreamError(
        `${provider} sent an answer larger than ${maxBytes} bytes (upstream_limits.max_answer_bytes)`,
        { kind: 'malformed' },
      )
    pieces.push(piece)
  }
  return Buffer.concat(pieces).toString('utf8')
}
