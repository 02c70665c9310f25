import type { ChatRequest, ResponseFormat } from '../openai/types.js'
import { prepareGeminiTools } from './prepare-gemini-tools.js'
import { sanitizeSchemaForGemini } from './sanitize-schema-for-gemini.js'
import { toGeminiContents } from './to-gemini-contents.js'
import type { GeminiGenerateContentRequest, GeminiGenerationConfig } from './types.js'

export interface ToGeminiRequestOptions {
  /** The model's output ceiling from the catalog: larger requests are clamped (agents ask for 32000+). */
  maxOutputTokens?: number
  /** See ToGeminiContentsOptions: the adapter passes SKIP_THOUGHT_SIGNATURE_VALIDATOR for Gemini 3. */
  fallbackThoughtSignature?: string
}

// Gemini accepts at most 5 stop sequences (OpenAI allows 4, some clients send more).
const MAX_STOP_SEQUENCES = 5

function applyResponseFormat(format: ResponseFormat | undefined, config: GeminiGenerationConfig): void {
  if (format === undefined || format.type === 'text') return
  config.responseMimeType = 'application/json'
  if (format.type === 'json_schema' && format.json_schema.schema !== undefined) {
    config.responseSchema = sanitizeSchemaForGemini(format.json_schema.schema)
  }
}

function toGenerationConfig(request: ChatRequest, options: ToGeminiRequestOptions): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {}
  if (typeof request.temperature === 'number') config.temperature = request.temperature
  if (typeof request.top_p === 'number') config.topP = request.top_p
  const requested = request.max_completion_tokens ?? request.max_tokens
  if (typeof requested === 'number') {
    config.maxOutputTokens = Math.min(requested, options.maxOutputTokens ?? Number.POSITIVE_INFINITY)
  }
  const stop = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? [])
  const stopSequences = stop.filter((s) => s !== '').slice(0, MAX_STOP_SEQUENCES)
  if (stopSequences.length > 0) config.stopSequences = stopSequences
  if (typeof request.n === 'number' && request.n > 1) config.candidateCount = request.n
  if (typeof request.seed === 'number') config.seed = request.seed
  applyResponseFormat(request.response_format, config)
  return config
}

/**
 * A canonical chat request → the body of `models/{model}:streamGenerateContent`. The model travels in the
 * URL, so it is not part of the body. Fields Gemini has no equivalent for (logit_bias, user, metadata,
 * parallel_tool_calls…) are left behind.
 */
export function toGeminiRequest(
  request: ChatRequest,
  options: ToGeminiRequestOptions,
): { body: GeminiGenerateContentRequest } {
  const conversation = toGeminiContents(
    request.messages,
    options.fallbackThoughtSignature === undefined
      ? {}
      : { fallbackThoughtSignature: options.fallbackThoughtSignature },
  )
  const body: GeminiGenerateContentRequest = { ...conversation }
  const tools = prepareGeminiTools(request.tools, request.tool_choice)
  if (tools.tools !== undefined) body.tools = tools.tools
  if (tools.toolConfig !== undefined) body.toolConfig = tools.toolConfig
  const generationConfig = toGenerationConfig(request, options)
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig
  return { body }
}
