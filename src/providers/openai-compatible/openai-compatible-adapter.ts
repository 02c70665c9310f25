import { type Dispatcher, request, errors as undiciErrors } from 'undici'
import { UpstreamError } from '../../errors.js'
import { completionToChunks } from '../../wire/collect.js'
import type { ChatChunk, ChatCompletion } from '../../wire/openai/types.js'
import { readSseEvents } from '../../wire/sse.js'
import type { HttpHeaders, ProviderAdapter, UpstreamCall, UpstreamStream } from '../types.js'
import { normalizeOpenAIChunk } from './normalize-openai-chunk.js'
import { parseOpenAICompatibleError } from './parse-openai-compatible-error.js'
import { readOpenAIRateLimits } from './read-openai-rate-limits.js'
import { toOpenAICompatibleRequest } from './to-openai-compatible-request.js'

const MAX_ERROR_BODY_BYTES = 64 * 1024

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

async function* readChunks(
  body: Dispatcher.ResponseData['body'],
  provider: string,
): AsyncGenerator<ChatChunk> {
  try {
    for await (const event of readSseEvents(body)) {
      const data = event.data.trim()
      if (data === '[DONE]') return
      if (data === '') continue
      let json: unknown
      try {
        json = JSON.parse(data)
      } catch {
        throw new UpstreamError(`${provider} sent a stream event that is not JSON`, { kind: 'malformed' })
      }
      yield normalizeOpenAIChunk(json, provider)
    }
  } catch (error) {
    throw toUpstreamError(error, provider)
  } finally {
    // Ends the upstream request when the consumer stops early (client gone, failover): no socket leaks.
    if (!body.destroyed) body.destroy()
  }
}

// Some servers (older local ones) ignore `stream: true` and answer JSON: wrap it as a one-shot stream.
async function* readJsonAsChunks(
  body: Dispatcher.ResponseData['body'],
  provider: string,
): AsyncGenerator<ChatChunk> {
  // DeepSeek sends blank lines before the JSON body while queued: JSON.parse tolerates the whitespace.
  const text = await body.text().catch((error: unknown) => {
    throw toUpstreamError(error, provider)
  })
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new UpstreamError(`${provider} answered with a body that is not JSON`, { kind: 'malformed' })
  }
  const completion = json as ChatCompletion
  if (!Array.isArray(completion.choices)) {
    throw new UpstreamError(`${provider} answered JSON without "choices"`, { kind: 'malformed' })
  }
  for (const chunk of completionToChunks(completion)) yield normalizeOpenAIChunk(chunk, provider)
}

export function createOpenAICompatibleAdapter(dispatcher: Dispatcher): ProviderAdapter {
  return {
    async open(call: UpstreamCall, signal: AbortSignal): Promise<UpstreamStream> {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...call.extraHeaders,
      }
      if (call.apiKey !== null) headers.authorization = `Bearer ${call.apiKey}`
      let response: Dispatcher.ResponseData
      try {
        response = await request(`${call.baseUrl}/chat/completions`, {
          method: 'POST',
          headers,
          body: JSON.stringify(toOpenAICompatibleRequest(call)),
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
        throw parseOpenAICompatibleError(
          response.statusCode,
          responseHeaders,
          text,
          call.nowMs,
          call.provider,
        )
      }
      const contentType = String(responseHeaders['content-type'] ?? '')
      const isJson = contentType.includes('application/json')
      return {
        limits: readOpenAIRateLimits(responseHeaders, call.nowMs, call.provider),
        chunks: isJson
          ? readJsonAsChunks(response.body, call.provider)
          : readChunks(response.body, call.provider),
      }
    },
  }
}
