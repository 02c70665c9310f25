import { z } from 'zod'
import { type QuotaKind, UpstreamError, type UpstreamFailureKind } from '../../errors.js'
import { classifyUpstreamStatus } from '../classify-upstream-status.js'
import { type HttpHeaders, headerValue } from '../http-headers.js'

const MAX_MESSAGE_CHARS = 300

const detailSchema = z.looseObject({
  '@type': z.string().optional(),
  retryDelay: z.string().optional(),
  reason: z.string().optional(),
  violations: z.array(z.looseObject({ quotaId: z.string().optional() })).optional(),
})

const rpcErrorSchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.unknown()).optional(),
  }),
})

// The /openai/ endpoint wraps the same body in an array: [{"error":{…}}].
const bodySchema = z.union([rpcErrorSchema, z.tuple([rpcErrorSchema], z.unknown())])

type RpcError = z.infer<typeof rpcErrorSchema>['error']

function readRpcError(bodyText: string): RpcError | null {
  let json: unknown
  try {
    json = JSON.parse(bodyText)
  } catch {
    return null
  }
  const parsed = bodySchema.safeParse(json)
  if (!parsed.success) return null
  return Array.isArray(parsed.data) ? parsed.data[0].error : parsed.data.error
}

function readDetails(error: RpcError): z.infer<typeof detailSchema>[] {
  return (error.details ?? []).flatMap((detail) => {
    const parsed = detailSchema.safeParse(detail)
    return parsed.success ? [parsed.data] : []
  })
}

/** A protobuf Duration ("47s", "45.837906927s") or the message's "Please retry in 47.43s." → ms. */
function readRetryAfterMs(details: z.infer<typeof detailSchema>[], message: string): number | null {
  const delay = details.find((d) => d.retryDelay !== undefined)?.retryDelay
  const match =
    (delay !== undefined ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null) ??
    /retry in (\d+(?:\.\d+)?)s/i.exec(message)
  return match?.[1] === undefined ? null : Math.ceil(Number(match[1]) * 1000)
}

function readHeaderRetryAfterMs(headers: HttpHeaders | null): number | null {
  const value = headers === null ? undefined : headerValue(headers, 'retry-after')
  const seconds = value === undefined ? Number.NaN : Number(value)
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : null
}

function classify(
  status: number,
  error: RpcError,
  details: z.infer<typeof detailSchema>[],
): { kind: UpstreamFailureKind; quotaKind: QuotaKind | null } {
  const message = error.message ?? ''
  if (status === 429 || error.status === 'RESOURCE_EXHAUSTED') {
    const quotaIds = details.flatMap((d) => d.violations ?? []).map((v) => v.quotaId ?? '')
    // A spent daily quota comes back the same way as a per-minute one; only the quotaId tells them apart.
    if (quotaIds.some((id) => id.includes('PerDay'))) return { kind: 'quota', quotaKind: 'day' }
    if (quotaIds.some((id) => id.includes('PerMinute'))) return { kind: 'rate_limit', quotaKind: 'minute' }
    return { kind: 'rate_limit', quotaKind: 'unknown' }
  }
  // A bad key is 400 INVALID_ARGUMENT with reason API_KEY_INVALID [obs, js-genai recordings]: a key
  // problem, not a request problem, so the request may still succeed elsewhere.
  if (details.some((d) => d.reason === 'API_KEY_INVALID')) return { kind: 'auth', quotaKind: null }
  // 400 FAILED_PRECONDITION: "User location is not supported" or "free tier not available in your
  // country": the account cannot serve anything; another provider can.
  if (error.status === 'FAILED_PRECONDITION') {
    return { kind: /billing/i.test(message) ? 'billing' : 'auth', quotaKind: null }
  }
  return { kind: classifyUpstreamStatus(status, message), quotaKind: null }
}

/**
 * A non-2xx Gemini answer (or an error object inside a stream) → UpstreamError. Reads the Google RPC
 * body `{error:{code,message,status,details}}`, its array form from the /openai/ endpoint, or plain text
 * (HTML from a front end). Gemini sends no Retry-After: the retry hint is RetryInfo.retryDelay.
 */
export function parseGeminiError(
  status: number,
  headers: HttpHeaders | null,
  bodyText: string,
): UpstreamError {
  const error = readRpcError(bodyText)
  if (error === null) {
    const text = bodyText.trim().slice(0, MAX_MESSAGE_CHARS) || '(empty body)'
    return new UpstreamError(`Gemini answered ${status}: ${text}`, {
      kind: classifyUpstreamStatus(status, text),
      upstreamStatus: status,
      retryAfterMs: readHeaderRetryAfterMs(headers),
    })
  }
  const details = readDetails(error)
  const message = (error.message ?? '').slice(0, MAX_MESSAGE_CHARS)
  const { kind, quotaKind } = classify(status, error, details)
  return new UpstreamError(`Gemini answered ${status} ${error.status ?? ''}: ${message}`.replace('  ', ' '), {
    kind,
    upstreamStatus: status,
    retryAfterMs: readRetryAfterMs(details, error.message ?? '') ?? readHeaderRetryAfterMs(headers),
    quotaKind,
  })
}
