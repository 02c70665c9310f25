import type { ChatChunk, ChatRequest } from '../wire/openai/types.js'
import type { ProviderQuirks } from '../wire/provider-quirks.js'
import type { RateLimitReading } from '../wire/rate-limit-reading.js'

export type Dialect = 'openai' | 'anthropic' | 'gemini'

/** One call to one upstream: where, with which key, and the canonical request to translate. */
export interface UpstreamCall {
  provider: string
  baseUrl: string
  apiKey: string | null
  model: string
  request: ChatRequest
  /** Per-provider quirks from the catalog (fields to strip or rename, output-token limits…). */
  quirks: ProviderQuirks
  extraHeaders: Record<string, string>
  timeouts: { connectMs: number; firstByteMs: number; idleMs: number }
  /** Wall-clock time of the call, for turning reset timestamps into durations (adapters read no clock). */
  nowMs: number
  /** Timestamp and id stamped on chunks an adapter has to invent (native dialects). */
  created: number
}

export interface UpstreamStream {
  limits: RateLimitReading
  /** Canonical chunks; throws UpstreamError if the stream breaks. */
  chunks: AsyncIterable<ChatChunk>
}

/**
 * An adapter is pure translation plus one HTTP call. It never retries, falls back, reads a clock or logs
 * bodies: `open` resolves once the upstream answered 2xx, or rejects with an UpstreamError.
 */
export interface ProviderAdapter {
  open(call: UpstreamCall, signal: AbortSignal): Promise<UpstreamStream>
}

/** One embeddings call: which model on which provider and key, and the texts (one batch) to embed. */
export interface EmbeddingCall {
  provider: string
  baseUrl: string
  apiKey: string | null
  model: string
  inputs: readonly string[]
  /** A shorter vector, where the model can give one; null for its own width. */
  dimensions: number | null
  extraHeaders: Record<string, string>
  timeouts: UpstreamCall['timeouts']
  nowMs: number
}

export interface EmbeddingResult {
  /** One vector per input, in input order, all of one width. */
  vectors: number[][]
  /** The provider's count; null when it reports none (Gemini), and SmartSplit estimates. */
  promptTokens: number | null
  limits: RateLimitReading
}

/** Translation plus one HTTP call, as ProviderAdapter; rejects with an UpstreamError. */
export interface EmbeddingAdapter {
  embed(call: EmbeddingCall, signal: AbortSignal): Promise<EmbeddingResult>
}
