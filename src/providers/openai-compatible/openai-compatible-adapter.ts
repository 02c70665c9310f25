import type { Dispatcher } from 'undici'
import { UpstreamError } from '../../errors.js'
import { completionToChunks } from '../../wire/collect.js'
import { toFimRequest } from '../../wire/completions/to-fim-request.js'
import { chunkHasSubstance } from '../../wire/openai/chunk-has-substance.js'
import { createOpenAIStreamTranslator } from '../../wire/openai/create-openai-stream-translator.js'
import { normalizeOpenAIChunk } from '../../wire/openai/normalize-openai-chunk.js'
import { parseOpenAICompatibleError } from '../../wire/openai/parse-openai-compatible-error.js'
import { readOpenAIRateLimits } from '../../wire/openai/read-openai-rate-limits.js'
import { toOpenAICompatibleRequest } from '../../wire/openai/to-openai-compatible-request.js'
import type { ChatChunk, ChatCompletion } from '../../wire/openai/types.js'
import { postUpstream } from '../post-upstream.js'
import { readJsonAnswer } from '../read-json-answer.js'
import { readUpstreamStream } from '../read-upstream-stream.js'
import type { ProviderAdapter, UpstreamCall, UpstreamStream } from '../types.js'
import { DEFAULT_UPSTREAM_READ_LIMITS, type UpstreamReadLimits } from '../upstream-read-limits.js'

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
          : readUpstreamStream(
              response.body,
              {
                provider: call.provider,
                idleMs: call.timeouts.idleMs,
                limits,
                isProgress: chunkHasSubstance,
              },
              createOpenAIStreamTranslator(call.provider),
            ),
      }
    },
  }
}
