/** Per-provider differences in the OpenAI-compatible dialect, kept as catalogue data. */
export interface ProviderQuirks {
  /** When set, only these top-level request fields are sent (Mistral answers 422 to unknown fields). */
  allowedFields?: readonly string[]
  /**
   * Top-level fields never sent: ones the provider documents as a 400 (Groq: logprobs, logit_bias,
   * top_logprobs), where dropping them costs less than a refused request.
   */
  dropFields?: readonly string[]
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
  /**
   * Mistral refuses a user turn right after a tool result ("Unexpected role 'user' after role 'tool'"),
   * which agents send whenever the user speaks before the model has answered its tool results.
   */
  assistantBetweenToolAndUser?: boolean
  /** OpenAI's `prompt_cache_key` is accepted (OpenAI, Mistral); elsewhere it is not sent. */
  acceptsPromptCacheKey?: boolean
  /** A native fill-in-the-middle endpoint: its path (relative to the base URL) and the model it serves. */
  fim?: { path: string; model: string }
}
