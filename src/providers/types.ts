import type { ChatChunk, ChatRequest } from '../wire/openai/types.js'

export type Dialect = 'openai' | 'anthropic' | 'gemini'

/** Rate-limit facts read from one upstream response's headers; null where the provider said nothing. */
export interface RateLimitReading {
  requestsLimit: number | null
  requestsRemaining: number | null
  requestsResetMs: number | null
  tokensLimit: number | null
  tokensRemaining: number | null
  tokensResetMs: number | null
  /** Which window the request figures describe, when the provider says (Groq's request limit is per day). */
  requestsWindow: 'minute' | 'day' | null
  tokensWindow: 'minute' | 'day' | null
}

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

export interface ProviderQuirks {
  /** When set, only these top-level request fields are sent (Mistral answers 422 to unknown fields). */
  allowedFields?: readonly string[]
  /** Fields renamed before sending, e.g. max_completion_tokens → max_tokens. */
  renameFields?: Readonly<Record<string, string>>
  /** Fields removed from every message (Mistral rejects `name` on user messages). */
  stripMessageFields?: readonly string[]
  /** False where the provider rejects stream_options; usage is then read from the last chunk. */
  supportsStreamOptions?: boolean
  /** Largest output the model may produce; larger max_tokens values are clamped (agents send 32000). */
  maxOutputTokens?: number
  /** Highest temperature accepted (Mistral caps at 1.5, Anthropic at 1). */
  maxTemperature?: number
  /** Gemini 3 rejects function calls without a thought signature; history from elsewhere gets a stand-in. */
  needsThoughtSignatures?: boolean
  /** Mistral only accepts tool-call ids of exactly 9 letters and digits. */
  shortToolCallIds?: boolean
  /** OpenAI's `prompt_cache_key` is accepted (OpenAI, Mistral); elsewhere it is not sent. */
  acceptsPromptCacheKey?: boolean
  /** A native fill-in-the-middle endpoint: its path (relative to the base URL) and the model it serves. */
  fim?: { path: string; model: string }
}

export type HttpHeaders = Record<string, string | string[] | undefined>

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
