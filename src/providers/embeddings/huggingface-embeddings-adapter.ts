import type { Dispatcher } from 'undici'
import { readEmbeddingVectors } from '../../wire/embeddings/read-embedding-vectors.js'
import { parseOpenAICompatibleError } from '../../wire/openai/parse-openai-compatible-error.js'
import { readOpenAIRateLimits } from '../../wire/openai/read-openai-rate-limits.js'
import { postUpstream } from '../post-upstream.js'
import { readJsonAnswer } from '../read-json-answer.js'
import type { EmbeddingAdapter } from '../types.js'
import { DEFAULT_UPSTREAM_READ_LIMITS, type UpstreamReadLimits } from '../upstream-read-limits.js'

/**
 * Hugging Face's feature-extraction task (`{hf-inference}/models/{model}/pipeline/feature-extraction`):
 * `{inputs: [...]}` in, one pooled vector per input out, as a bare list; errors are `{error: "…"}`.
 */
export function createHuggingFaceEmbeddingsAdapter(
  dispatcher: Dispatcher,
  limits: UpstreamReadLimits = DEFAULT_UPSTREAM_READ_LIMITS,
): EmbeddingAdapter {
  return {
    async embed(call, signal) {
      const headers: Record<string, string> = { accept: 'application/json' }
      if (call.apiKey !== null) headers.authorization = `Bearer ${call.apiKey}`
      const response = await postUpstream(
        `${call.baseUrl}/models/${call.model}/pipeline/feature-extraction`,
        headers,
        { inputs: call.inputs },
        call,
        signal,
        dispatcher,
        (status, responseHeaders, text) =>
          parseOpenAICompatibleError(status, responseHeaders, text, call.nowMs, call.provider),
      )
      const answer = await readJsonAnswer(response.body, limits.maxAnswerBytes, call.provider)
      return {
        vectors: readEmbeddingVectors(answer, call.inputs.length, call.provider),
        promptTokens: null,
        limits: readOpenAIRateLimits(response.headers, call.nowMs, call.provider),
      }
    },
  }
}
