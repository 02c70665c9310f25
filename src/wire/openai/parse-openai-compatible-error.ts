import { UpstreamError } from '../../errors.js'
import { classifyUpstreamStatus } from '../classify-upstream-status.js'
import type { HttpHeaders } from '../http-headers.js'
import { parseRetryAfterMs } from '../parse-duration.js'
import { readOpenAIRateLimits } from './read-openai-rate-limits.js'

const MAX_MESSAGE_CHARS = 300

/**
 * Pulls a human message out of the error bodies the OpenAI-compatible family sends:
 * OpenAI/Groq/Cerebras/DeepSeek `{error:{message}}`, OpenRouter `{error:{code:<int>,message}}`,
 * Mistral 422 `{message:{detail:[…]}}` or `{message:"…"}`, Gemini's /openai/ array `[{error:{…}}]`,
 * Cloudflare's `{errors:[{message}]}`, or plain text.
 */
export function extractErrorMessage(bodyText: string): string {
  let body: unknown
  try {
    body = JSON.parse(bodyText)
  } catch {
    return bodyText.trim().slice(0, MAX_MESSAGE_CHARS) || '(empty body)'
  }
  const root = Array.isArray(body) ? body[0] : body
  if (root !== null && typeof root === 'object') {
    const record = root as Record<string, unknown>
    const error = record.error
    if (error !== null && typeof error === 'object') {
      const message = (error as Record<string, unknown>).message
      if (typeof message === 'string') return message.slice(0, MAX_MESSAGE_CHARS)
    }
    if (typeof error === 'string') return error.slice(0, MAX_MESSAGE_CHARS)
    if (typeof record.message === 'string') return record.message.slice(0, MAX_MESSAGE_CHARS)
    if (record.message !== undefined) return JSON.stringify(record.message).slice(0, MAX_MESSAGE_CHARS)
    if (Array.isArray(record.errors) && record.errors.length > 0) {
      return JSON.stringify(record.errors[0]).slice(0, MAX_MESSAGE_CHARS)
    }
  }
  return bodyText.trim().slice(0, MAX_MESSAGE_CHARS)
}

// Daily caps: OpenRouter's free-model daily limit, Cloudflare's neurons, Groq's requests-per-day.
const DAILY_QUOTA_PATTERN = /per[ -]?day|daily|free-models-per-day|\(RPD\)|neurons|quota/i
// Z.ai answers 429 with business code 1113 when the account has no balance left: a billing problem.
const NO_BALANCE_CODE = /"code"\s*:\s*"1113"/

export function parseOpenAICompatibleError(
  status: number,
  headers: HttpHeaders,
  bodyText: string,
  nowMs: number,
  provider: string,
): UpstreamError {
  const message = extractErrorMessage(bodyText)
  let kind = classifyUpstreamStatus(status, message)
  // Groq and Cerebras say "Please reduce the length of the messages" and put the meaning in the code.
  if (kind === 'bad_request' && /context_length_exceeded/.test(bodyText)) kind = 'context_length'
  if (kind === 'rate_limit' && NO_BALANCE_CODE.test(bodyText.slice(0, 2_000))) kind = 'billing'
  let retryAfterMs = parseRetryAfterMs(headers, nowMs)
  let quotaKind: 'minute' | 'day' | 'unknown' | null = null
  if (kind === 'rate_limit') {
    const limits = readOpenAIRateLimits(headers, nowMs, provider)
    const isDaily = DAILY_QUOTA_PATTERN.test(message)
    quotaKind = isDaily ? 'day' : 'minute'
    if (isDaily) kind = 'quota'
    retryAfterMs ??=
      limits.requestsRemaining === 0
        ? limits.requestsResetMs
        : (limits.tokensResetMs ?? limits.requestsResetMs)
  }
  return new UpstreamError(`${provider} answered ${status}: ${message}`, {
    kind,
    upstreamStatus: status,
    retryAfterMs,
    quotaKind,
  })
}
