import type { ChatRequest, TextCompletionInput } from '../openai/types.js'

/** Mistral caps FIM temperature at 1.5, as its chat. */
const MAX_TEMPERATURE = 1.5

/**
 * The body of Mistral's Codestral FIM endpoint (POST /v1/fim/completions, FIMCompletionRequest): prompt
 * and suffix instead of messages, and only the fields its schema allows (it answers 422 to others).
 * Always streamed, like every upstream call.
 */
export function toFimRequest(
  request: ChatRequest,
  input: TextCompletionInput,
  model: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model, prompt: input.prompt, suffix: input.suffix, stream: true }
  const maxTokens = request.max_completion_tokens ?? request.max_tokens
  if (typeof maxTokens === 'number') body.max_tokens = maxTokens
  if (typeof request.temperature === 'number')
    body.temperature = Math.min(request.temperature, MAX_TEMPERATURE)
  if (typeof request.top_p === 'number') body.top_p = request.top_p
  if (input.stop.length > 0) body.stop = input.stop
  if (typeof request.seed === 'number' && request.seed >= 0) body.random_seed = request.seed
  if (typeof request.prompt_cache_key === 'string') body.prompt_cache_key = request.prompt_cache_key
  return body
}
