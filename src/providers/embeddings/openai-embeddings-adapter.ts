import type { Dispatcher } from 'undici'
import { readEmbeddingVectors } from '../../wire/embeddings/read-embedding-vectors.js'
import { parseOpenAICompatibleError } from '../../wire/openai/parse-openai-compatible-error.js'
import { readOpenAIRateLimits } from '../../wire/openai/read-openai-rate-limits.js'
import { postUpstream } from '../post-upstream.js'
import { readJsonAnswer } from '../read-json-answer.js'
import type { EmbeddingAdapter, EmbeddingCall } from '../types.js'
import { DEFAULT_UPSTREAM_READ_LIMITS, type UpstreamReadLimits } from '../upstream-read-limits.js'

interface OpenAIEmbeddingList {
  data?: { index?: unknown; embedding?: unknown }[]
  usage?: { prompt_tokens?: unknown }
}

/** The body OpenAI's embeddings API takes (Mistral, Cloudflare, Ollama, llama.cpp speak it too). */
function toBody(call: EmbeddingCall): Record<string, unknown> {
  const body: Record<string, unknown> = { model: call.model, input: call.inputs, encoding_format: 'float' }
  if (call.dimensions !== null) body.dimensions = call.dimensions
  return body
}

/** The vectors in input order: the list may come in any order, each item says its index. */
function vectorsOf(answer: OpenAIEmbeddingList, count: number, provider: string): number[][] {
  const items = Array.isArray(answer.data) ? answer.data : []
  const ordered = [...items].sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0))
  return readEmbeddingVectors(
    ordered.map((item) => item.embedding),
    count,
    provider,
  )
}

/** POST {base}/embeddings: the OpenAI-compatible embeddings API. */
export function createOpenAIEmbeddingsAdapter(
  dispatcher: Dispatcher,
  limits: UpstreamReadLimits = DEFAULT_UPSTREAM_READ_LIMITS,
): EmbeddingAdapter {
  return {
    async embed(call, signal) {
      const headers: Record<string, string> = { accept: 'application/json' }
      if (call.apiKey !== null) headers.authorization = `Bearer ${call.apiKey}`
      const response = await postUpstream(
        `${call.baseUrl}/embeddings`,
        headers,
        toBody(call),
        call,
        signal,
        dispatcher,
        (status, responseHeaders, text) =>
          parseOpenAICompatibleError(status, responseHeaders, text, call.nowMs, call.provider),
      )
      const answer = (await readJsonAnswer(
        response.body,
        limits.maxAnswerBytes,
        call.provider,
      )) as OpenAIEmbeddingList
      const tokens = answer?.usage?.prompt_tokens
      return {
        vectors: vectorsOf(answer ?? {}, call.inputs.length, call.provider),
        promptTokens: typeof tokens === 'number' && Number.isFinite(tokens) && tokens >= 0 ? tokens : null,
        limits: readOpenAIRateLimits(response.headers, call.nowMs, call.provider),
      }
    },
  }
}
