import { type Dispatcher, request } from 'undici'
import { UpstreamError } from '../errors.js'
import { redactSecrets } from '../lib/redact.js'
import { readLimitedText, toUpstreamError } from '../providers/post-upstream.js'
import type { HttpHeaders } from '../wire/http-headers.js'
import { SearchError } from './types.js'

// A results page is a few tens of KiB; anything far larger is not a search answer.
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024

export interface SearchApiCall {
  provider: string
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  /** Sent as JSON (POST only). */
  body?: unknown
  apiKey: string | null
  timeoutMs: number
  /** The API's own error body → a SearchError (status, kind, retry-after). */
  parseError: (status: number, headers: HttpHeaders, text: string) => SearchError
}

function toSearchError(error: unknown, call: SearchApiCall, isTimedOut: boolean): SearchError {
  if (error instanceof SearchError) return error
  if (isTimedOut) {
    return new SearchError(`${call.provider} did not answer within ${call.timeoutMs} ms`, {
      provider: call.provider,
      kind: 'timeout',
      cause: error,
    })
  }
  const upstream = error instanceof UpstreamError ? error : toUpstreamError(error, call.provider)
  return new SearchError(redactSecrets(upstream.message, call.apiKey === null ? [] : [call.apiKey]), {
    provider: call.provider,
    kind: upstream.kind,
    upstreamStatus: upstream.upstreamStatus,
    cause: error,
  })
}

/**
 * The one HTTP call a search adapter makes, bounded by `timeoutMs` as a whole (a server that drips its
 * body slowly is cut too). Non-2xx answers are read (bounded) and handed to the API's error parser; a
 * 2xx answer is parsed as JSON and returned as unknown for the adapter's schema.
 */
export async function requestSearchApi(
  call: SearchApiCall,
  signal: AbortSignal,
  dispatcher: Dispatcher,
): Promise<unknown> {
  const timeout = AbortSignal.timeout(call.timeoutMs)
  try {
    const response = await request(call.url, {
      method: call.method,
      headers:
        call.body === undefined ? call.headers : { 'content-type': 'application/json', ...call.headers },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal: AbortSignal.any([signal, timeout]),
      dispatcher,
      headersTimeout: call.timeoutMs,
      bodyTimeout: call.timeoutMs,
    })
    const headers = response.headers as HttpHeaders
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const text = await readLimitedText(response.body).catch(() => '')
      response.body.destroy()
      throw call.parseError(response.statusCode, headers, text)
    }
    const text = await readLimitedText(response.body, MAX_RESPONSE_BYTES)
    response.body.destroy()
    try {
      return JSON.parse(text) as unknown
    } catch {
      throw new SearchError(`${call.provider} answered with a body that is not JSON`, {
        provider: call.provider,
        kind: 'malformed',
        upstreamStatus: response.statusCode,
      })
    }
  } catch (error) {
    throw toSearchError(error, call, timeout.aborted && !signal.aborted)
  }
}
