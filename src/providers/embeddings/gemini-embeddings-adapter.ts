import type { Dispatcher } from 'undici'
import { readEmbeddingVectors } from '../../wire/embeddings/read-embedding-vectors.js'
import { parseGeminiError } from '../../wire/gemini/parse-gemini-error.js'
import { toGeminiEmbedRequest } from '../../wire/gemini/to-gemini-embed-request.js'
import { EMPTY_RATE_LIMIT_READING } from '../empty-rate-limit-reading.js'
import { postUpstream } from '../post-upstream.js'
import { readJsonAnswer } from '../read-json-answer.js'
import type { EmbeddingAdapter } from '../types.js'
import { DEFAULT_UPSTREAM_READ_LIMITS, type UpstreamReadLimits } from '../upstream-read-limits.js'

/** Gemini's batchEmbedContents: `{embeddings: [{values}]}` in request order; no token count. */
export function createGeminiEmbeddingsAdapter(
  dispatcher: Dispatcher,
  limits: UpstreamReadLimits = DEFAULT_UPSTREAM_READ_LIMITS,
): EmbeddingAdapter {
  return {
    async embed(call, signal) {
      const headers: Record<string, string> = { accept: 'application/json' }
      if (call.apiKey !== null) headers['x-goog-api-key'] = call.apiKey
      const response = await postUpstream(
        `${call.baseUrl}/models/${encodeURIComponent(call.model)}:batchEmbedContents`,
        headers,
        toGeminiEmbedRequest(call.model, call.inputs, call.dimensions),
        call,
        signal,
        dispatcher,
        (status, responseHeaders, text) => parseGeminiError(status, responseHeaders, text),
      )
      const answer = (await readJsonAnswer(response.body, limits.maxAnswerBytes, call.provider)) as {
        embeddings?: { values?: unknown }[]
      } | null
      const embeddings = Array.isArray(answer?.embeddings) ? answer.embeddings : []
      return {
        vectors: readEmbeddingVectors(
          embeddings.map((embedding) => embedding?.values),
          call.inputs.length,
          call.provider,
        ),
        promptTokens: null,
        limits: EMPTY_RATE_LIMIT_READING,
      }
    },
  }
}
