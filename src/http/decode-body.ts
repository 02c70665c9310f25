import { promisify } from 'node:util'
import { brotliDecompress, gunzip, inflate, type ZlibOptions } from 'node:zlib'
import { InvalidRequestError } from '../errors.js'

type Decoder = (body: Buffer, options: ZlibOptions) => Promise<Buffer>

/** Content-Encodings Node decodes without a dependency (zstd needs Node ≥ 22.15). */
const DECODERS = new Map<string, Decoder>([
  ['gzip', promisify(gunzip)],
  ['x-gzip', promisify(gunzip)],
  ['deflate', promisify(inflate)],
  ['br', promisify(brotliDecompress) as Decoder],
])

const isOverLimit = (error: unknown): boolean =>
  (error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE'

/**
 * A request body as the client compressed it → its bytes. The decoded size is bounded by the same
 * limit as an uncompressed body (`maxOutputLength` stops inflating there: a small gzip bomb costs
 * nothing), and an encoding Node cannot decode is a 415 that names the ones it can.
 */
export async function decodeBody(body: Buffer, encoding: string, limitBytes: number): Promise<Buffer> {
  const name = encoding.trim().toLowerCase()
  const decode = DECODERS.get(name)
  if (decode === undefined)
    throw new InvalidRequestError(
      `The request body's Content-Encoding '${encoding.slice(0, 40)}' is not supported; send it uncompressed, or as gzip, deflate or br.`,
      { status: 415, code: 'unsupported_content_encoding' },
    )
  try {
    return await decode(body, { maxOutputLength: limitBytes })
  } catch (error) {
    if (isOverLimit(error))
      throw new InvalidRequestError(
        'The request body is larger than the configured limit (server.body_limit_bytes) once decompressed.',
        { status: 413, code: 'request_too_large' },
      )
    throw new InvalidRequestError(`The request body is not valid ${name} (Content-Encoding: ${name}).`, {
      code: 'invalid_content_encoding',
    })
  }
}
