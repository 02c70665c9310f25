import type { Dispatcher } from 'undici'
import { UpstreamError } from '../../errors.js'
import { completionToChunks } from '../../wire/collect.js'
import { toFimRequest } from '../../wire/completions/to-fim-request.js'
import { normalizeOpenAIChunk } from '../../wire/openai/normalize-openai-chunk.js'
import { parseOpenAICompatibleError } from '../../wire/openai/parse-openai-compatible-error.js'
import { readOpenAIRateLimits } from '../../wire/openai/read-openai-rate-limits.js'
import { toOpenAICompatibleRequest } from '../../wire/openai/to-openai-compatible-request.js'
import type { ChatChunk, ChatCompletion } from '../../wire/openai/types.js'
import { postUpstream, toUpstreamError } from '../post-upstream.js'
import { readEvents } from '../read-events.js'
import { readJsonAnswer } from '../read-json-answer.js'
import type { ProviderAdapter, UpstreamCall, UpstreamStream } from '../types.js'
import { DEFAULT_UPSTREAM_READ_LIMITS, type UpstreamReadLimits } from '../upstream-read-limits.js'

async function* readChunks(
  body: Dispatcher.ResponseData['body'],
  provider: string,
  idleMs: number,
  limits: UpstreamReadLimits,
): AsyncGenerator<ChatChunk> {
  try {
    let isDone = false
    let hasFinished = false
    for await (const event of readEvents(body, idleMs, provider, limits)) {
      // After [DONE] the body is read to its natural end (not destroyed), so the connection is reused.
      if (isDone) continue
      const data = event.data.trim()
      if (data === '[DONE]') {
        isDone = true
        continue
      }
      if (data === '') continue
      let json: unknown
      try {
        json = JSON.parse(data)
      } catch {
        throw new UpstreamError(`${provider} sent a stream event that is not JSON`, { kind: 'malformed' })
      }
      const chunk = normalizeOpenAIChunk(json, provider)
      if (!hasFinished) hasFinished = chunk.choices.some((choice) => choice.finish_reason != null)
      yield chunk
    }
    // A clean close with neither a finish_reason nor [DONE] is a cut answer (a proxy timing out), not a
    // complete one: fall back before the first token, or end the client's stream with an error after it.
    if (!isDone && !hasFinished)
      throw new UpstreamError(`${provider} closed the stream mid-answer (no finish_reason, no [DONE])`, {
        kind: 'network',
      })
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
  maxBytes: number,
): AsyncGenerator<ChatChunk> {
  // DeepSeek sends blank lines before the JSON body while queued: JSON.parse tolerates the whitespace.
  const completion = (await readJsonAnswer(body, maxBytes, provider)) as ChatCompletion | null
  const isWellFormed =
    completion !== null &&
    typeof completion === 'object' &&
    Array.isArray(completion.choices) &&
    completion.choices.every(
      (choice) =>
        choice !== null &&
        typeof choice === 'object' &&
        typeof choice.message === 'object' &&
        choice.message !== null,
    )
  if (!isWellFormed) {
    throw new UpstreamError(`${provider} answered JSON that is not a chat completion`, { kind: 'malformed' })
  }
  for (const chunk of completionToChunks(completion)) yield normalizeOpenAIChunk(chunk, provider)
}

export function createOpenAICompatibleAdapter(
  dispatcher: Dispatcher,
  limits: UpstreamReadLimits = DEFAULT_UPSTREAM_READ_LIMITS,
): ProviderAdapter {
  return {
    async open(call: UpstreamCall, signal: AbortSignal): Promise<UpstreamStream> {
      const headers: Record<string, string> = { accept: 'text/event-stream' }
      if (call.apiKey !== null) headers.authorization = `Bearer ${call.apiKey}`
      // An autocomplete goes to the provider's fill-in-the-middle endpoint when its model has one.
      const fim = call.quirks.fim
      const completion = call.request.text_completion
      const isFim = completion !== undefined && fim !== undefined && fim.model === call.model
      const response = await postUpstream(
        isFim ? `${call.baseUrl}${fim.path}` : `${call.baseUrl}/chat/completions`,
        headers,
        isFim ? toFimRequest(call.request, completion, call.model) : toOpenAICompatibleRequest(call),
        call,
        signal,
        dispatcher,
        (status, responseHeaders, text) =>
          parseOpenAICompatibleError(status, responseHeaders, text, call.nowMs, call.provider),
      )
      const responseHeaders = response.headers
      const contentType = String(responseHeaders['content-type'] ?? '')
      const isJson = contentType.includes('application/json')
      return {
        limits: readOpenAIRateLimits(responseHeaders, call.nowMs, call.provider),
        chunks: isJson
          ? readJsonAsChunks(response.body, call.provider, limits.maxAnswerBytes)
          : readChunks(response.body, call.provider, call.timeouts.idleMs, limits),
      }
    },
  }
}
