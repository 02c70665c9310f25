import type { UpstreamFailureKind } from '../errors.js'

// Phrases providers use for "the prompt does not fit this model" (OpenAI code context_length_exceeded,
// Groq/Cerebras/Mistral/Anthropic/Gemini messages). Such a 400 means "try a bigger model", not "bad request".
const CONTEXT_LENGTH_PATTERN =
  /context[_ ]length|context window|maximum context|too many tokens|prompt is too long|input is too long|exceeds the (?:maximum|context)|input token count/i

/** Maps an upstream HTTP status (and its error text) to what kind of failure it is. */
export function classifyUpstreamStatus(status: number, errorText: string): UpstreamFailureKind {
  if ((status === 400 || status === 413 || status === 422) && CONTEXT_LENGTH_PATTERN.test(errorText)) {
    return 'context_length'
  }
  if (status === 429) return 'rate_limit'
  if (status === 401 || status === 403) return 'auth'
  if (status === 402) return 'billing'
  if (status === 404) return 'not_found'
  if (status === 408 || status === 409 || status >= 500) return 'overloaded'
  if (status === 400 || status === 413 || status === 422) return 'bad_request'
  return 'overloaded'
}
