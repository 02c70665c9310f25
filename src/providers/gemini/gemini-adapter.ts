import type { Dispatcher } from 'undici'
import type { Random } from '../../lib/random.js'
import { createGeminiStreamTranslator } from '../../wire/gemini/create-gemini-stream-translator.js'
import { geminiJsonToEvents } from '../../wire/gemini/gemini-json-to-events.js'
import { parseGeminiError } from '../../wire/gemini/parse-gemini-error.js'
import { SKIP_THOUGHT_SIGNATURE_VALIDATOR } from '../../wire/gemini/skip-thought-signature-validator.js'
import { toGeminiRequest } from '../../wire/gemini/to-gemini-request.js'
import { headerValue } from '../../wire/http-headers.js'
import { chunkHasSubstance } from '../../wire/openai/chunk-has-substance.js'
import { EMPTY_RATE_LIMIT_READING } from '../empty-rate-limit-reading.js'
import { postUpstream } from '../post-upstream.js'
import { readJsonAsStream } from '../read-json-as-stream.js'
import { readUpstreamStream } from '../read-upstream-stream.js'
import type { ProviderAdapter, UpstreamCall, UpstreamStream } from '../types.js'
import { DEFAULT_UPSTREAM_READ_LIMITS, type UpstreamReadLimits } from '../upstream-read-limits.js'

/** Gemini generateContent (streamed with alt=sse): translation in wire/gemini, one POST here. */
export function createGeminiAdapter(
  dispatcher: Dispatcher,
  random: Random,
  limits: UpstreamReadLimits = DEFAULT_UPSTREAM_READ_LIMITS,
): ProviderAdapter {
  return {
    async open(call: UpstreamCall, signal: AbortSignal): Promise<UpstreamStream> {
      const { body } = toGeminiRequest(call.request, {
        ...(call.quirks.maxOutputTokens === undefined
          ? {}
          : { maxOutputTokens: call.quirks.maxOutputTokens }),
        // History from another provider carries no thought signature; Gemini 3 accepts this documented stand-in.
        ...(call.quirks.needsThoughtSignatures === true
          ? { fallbackThoughtSignature: SKIP_THOUGHT_SIGNATURE_VALIDATOR }
          : {}),
      })
      const headers: Record<string, string> = { accept: 'text/event-stream' }
      if (call.apiKey !== null) headers['x-goog-api-key'] = call.apiKey
      const url = `${call.baseUrl}/models/${encodeURIComponent(call.model)}:streamGenerateContent?alt=sse`
      const response = await postUpstream(
        url,
        headers,
        body,
        call,
        signal,
        dispatcher,
        (status, responseHeaders, text) => parseGeminiError(status, responseHeaders, text),
      )
      const translator = createGeminiStreamTranslator({
        includeUsage: true,
        candidateCount: body.generationConfig?.candidateCount ?? 1,
        id: `chatcmpl-${random.token(24)}`,
        created: call.created,
        model: call.model,
        newToolCallId: () => `call_${random.token(24)}`,
      })
      // Gemini ends a stream by closing the socket: no [DONE]; the translator's finish() closes the answer.
      const options = {
        provider: call.provider,
        idleMs: call.timeouts.idleMs,
        limits,
        isProgress: chunkHasSubstance,
      }
      // A proxy that drops `alt=sse` gets a JSON array from Google (one object from generateContent).
      const isJson = headerValue(response.headers, 'content-type')?.includes('application/json') === true
      return {
        limits: EMPTY_RATE_LIMIT_READING,
        chunks: isJson
          ? readJsonAsStream(
              response.body,
              { provider: call.provider, maxAnswerBytes: limits.maxAnswerBytes },
              geminiJsonToEvents,
              translator,
            )
          : readUpstreamStream(response.body, options, translator),
      }
    },
  }
}
