import { z } from 'zod'
import { UpstreamError } from '../../errors.js'
import { classifyUpstreamStatus } from '../classify-upstream-status.js'
import { type HttpHeaders, headerValue } from '../http-headers.js'
import { msUntilReset } from './ms-until-reset.js'

const errorBodySchema = z.looseObject({
  type: z.literal('error').optional(),
  error: z.looseObject({
    type: z.string(),
    message: z.string().optional(),
    details: z.looseObject({ error_code: z.string().optional() }).nullish(),
  }),
})

const RESET_HEADERS = [
  'anthropic-ratelimit-requests-reset',
  'anthropic-ratelimit-tokens-reset',
  'anthropic-ratelimit-input-tokens-reset',
  'anthropic-ratelimit-output-tokens-reset',
]

// Anthropic answers 400 invalid_request_error, not 402, when the prepaid credit is spent.
const CREDIT_PATTERN = /credit balance is too low/i
// Keys never reach messages, logs or clients, even if an upstream echoes one back.
const KEY_PATTERN = /sk-ant-[A-Za-z0-9_-]+/g
const MAX_MESSAGE_CHARS = 500

function readRetryAfterMs(headers: HttpHeaders, nowMs: number, isRateLimit: boolean): number | null {
  const retryAfterMs = Number(headerValue(headers, 'retry-after-ms'))
  if (Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return retryAfterMs
  const retryAfter = headerValue(headers, 'retry-after')
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
    const dateMs = Date.parse(retryAfter)
    if (!Number.isNaN(dateMs)) return Math.max(0, dateMs - nowMs)
  }
  if (!isRateLimit) return null
  // Without retry-after the earliest window reset is when a retry can first succeed.
  const resets = RESET_HEADERS.map((name) => msUntilReset(headerValue(headers, name), nowMs)).filter(
    (ms): ms is number => ms !== null,
  )
  return resets.length > 0 ? Math.min(...resets) : null
}

/**
 * An Anthropic non-2xx answer → UpstreamError. The body is `{type:'error', error:{type, message}}`, or
 * Cloudflare's HTML for 413 and some 5xx, whose first characters are kept. `nowMs` turns the RFC 3339
 * reset headers into a wait.
 */
export function parseAnthropicError(
  status: number,
  headers: HttpHeaders,
  bodyText: string,
  nowMs: number,
): UpstreamError {
  let parsedBody: z.infer<typeof errorBodySchema> | null = null
  try {
    const result = errorBodySchema.safeParse(JSON.parse(bodyText))
    parsedBody = result.success ? result.data : null
  } catch {
    parsedBody = null
  }
  const errorType = parsedBody?.error.type ?? 'unknown_error'
  const detail = (parsedBody?.error.message ?? bodyText.trim()).slice(0, MAX_MESSAGE_CHARS)
  const message = `Anthropic ${status} ${errorType}: ${detail || '(empty body)'}`.replace(
    KEY_PATTERN,
    'sk-ant-***',
  )

  let kind = classifyUpstreamStatus(status, detail)
  let quotaKind: 'minute' | 'unknown' | null = kind === 'rate_limit' ? 'minute' : null
  if (CREDIT_PATTERN.test(detail)) kind = 'billing'
  // A reached spend limit lasts until the billing period ends: retrying within minutes is pointless.
  if (parsedBody?.error.details?.error_code === 'enforced_spend_limit_reached') {
    kind = 'quota'
    quotaKind = 'unknown'
  }
  return new UpstreamError(message, {
    kind,
    upstreamStatus: status,
    retryAfterMs: readRetryAfterMs(headers, nowMs, kind === 'rate_limit'),
    quotaKind,
  })
}
