import type { UpstreamFailureKind } from '../errors.js'

// Phrases providers use for "the prompt does not fit this model" (OpenAI code context_length_exceeded,
// Groq/Cerebras/Mistral/Anthropic/Gemini messages). Such a 400 means "try a bigger model", not "bad request".
// "Exceeds the maximum" alone is not one: a gateway's 413 "exceeds the maximum size" says nothing of
// the model's window, and reading it so would skip every model with a window no larger.
const CONTEXT_LENGTH_PATTERN =
  /context[_ ]length|context window|maximum context|too many tokens|prompt is too long|input is too long|exceeds the context|exceeds the maximum [^.]{0,40}\btokens\b|input token count/i

// "This provider does not serve this model", as each says it on a 404: Groq/OpenAI "The model `x` does
// not exist or you do not have access to it", OpenRouter "No endpoints found for x:free.", NVIDIA
// "Function '…': Not found for account '…'", Gemini "models/x is not found for API version v1beta",
// Anthropic not_found_error "model: x", Ollama "model \"x\" not found, try pulling it first".
const MODEL_GONE_404 =
  /not found|does not exist|decommissioned|no endpoints found for |unknown model|^model: /i
// 404s about this request or this URL, not the model: OpenRouter "No endpoints found that support tool
// use" / "matching your data policy", a wrong base_url ("404 page not found", "Unknown request URL").
const NOT_ABOUT_THE_MODEL =
  /no endpoints found that|matching your|unknown request url|page not found|no route/i
// 400s that retire a model: Groq `model_decommissioned` ("The model `x` has been decommissioned and is no
// longer supported"), Z.ai code 1211 "Unknown Model, please check the model code."
const MODEL_GONE_400 = /model[^.]{0,80}(?:decommissioned|no longer supported)|unknown model/i

/** Maps an upstream HTTP status (and its error text) to what kind of failure it is. */
export function classifyUpstreamStatus(status: number, errorText: string): UpstreamFailureKind {
  if ((status === 400 || status === 413 || status === 422) && CONTEXT_LENGTH_PATTERN.test(errorText)) {
    return 'context_length'
  }
  // SambaNova: "410 Gone: the requested model is no longer available (deprecated or removed)".
  if (status === 410) return 'model_retired'
  if (status === 400 && MODEL_GONE_400.test(errorText)) return 'model_retired'
  if (status === 429) return 'rate_limit'
  if (status === 401 || status === 403) return 'auth'
  if (status === 402) return 'billing'
  if (status === 404) {
    return MODEL_GONE_404.test(errorText) && !NOT_ABOUT_THE_MODEL.test(errorText)
      ? 'model_retired'
      : 'not_found'
  }
  if (status === 408 || status === 409 || status >= 500) return 'overloaded'
  if (status === 400 || status === 413 || status === 422) return 'bad_request'
  return 'overloaded'
}
