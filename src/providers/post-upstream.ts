import { type Dispatcher, request, errors as undiciErrors } from 'undici'
import { UpstreamError } from '../errors.js'
import type { HttpHeaders } from '../wire/http-headers.js'
import type { UpstreamCall } from './types.js'

const MAX_ERROR_BODY_BYTES = 64 * 1024

export interface UpstreamResponse {
  status: number
  headers: HttpHeaders
  body: Dispatcher.ResponseData['body']
}

/** undici failures → the failure kinds the pipeline understands. */
export function toUpstreamError(error: unknown, provider: string): UpstreamError {
  if (error instanceof UpstreamError) return error
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new UpstreamError(`${provider} did not answer in time`, { kind: 'timeout', cause: error })
  }
  if (error instanceof undiciErrors.BodyTimeoutError) {
    return new UpstreamError(`${provider} stalled mid-answer`, { kind: 'timeout', cause: error })
  }
  const message = error instanceof Error ? error.message : String(error)
  return new UpstreamError(`${provider} connection failed: ${message}`, { kind: 'network', cause: error })
}

/** Reads at most `limit` bytes of an error body so a hostile upstream cannot exhaust memory. */
export async function readLimitedText(
  body: AsyncIterable<Uint8Array>,
  limit = MAX_ERROR_BODY_BYTES,
): Promise<string> {
  const parts: Buffer[] = []
  let size = 0
  for await (const piece of body) {
    parts.push(Buffer.from(piece))
    size += piece.length
    if (size >= limit) break
  }
  return Buffer.concat(parts).toString('utf8').slice(0, limit)
}

/**
 * The one HTTP call an adapter makes: POST JSON, with the call's timeouts and abort signal. A non-2xx
 * answer is read (bounded) and handed to the dialect's error parser, so the adapter only ever sees 2xx.
 */
export async function postUpstream(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  call: Pick<UpstreamCall, 'provider' | 'extraHeaders' | 'timeouts'>,
  signal: AbortSignal,
  dispatcher: Dispatcher,
  parseError: (status: number, headers: HttpHeaders, text: string) => UpstreamError,
): Promise<UpstreamResponse> {
  let response: Dispatcher.ResponseData
  try {
    response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...call.extraHeaders, ...headers },
      body: JSON.stringify(body),
      signal,
      dispatcher,
      headersTimeout: call.timeouts.firstByteMs,
      bodyTimeout: call.timeouts.idleMs,
    })
  } catch (error) {
    throw toUpstreamError(error, call.provider)
  }
  const responseHeaders = response.headers as HttpHeaders
  if (response.statusCode < 200 || response.statusCode >= 300) {
    const text = await readLimitedText(response.body).catch(() => '')
    response.body.destroy()
    throw parseError(response.statusCode, responseHeaders, text)
  }
  return { status: response.statusCode, headers: responseHeaders, body: response.body }
}
