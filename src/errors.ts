// Every error SmartSplit raises extends SmartSplitError. Policy reads the fields (status, type, code,
// retryable, …), never the message text; http/ maps them to OpenAI or Anthropic bodies in one place.

export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'service_unavailable'
  | 'upstream_error'

export class SmartSplitError extends Error {
  readonly status: number
  readonly type: ErrorType
  readonly code: string | null
  readonly param: string | null

  constructor(
    message: string,
    options: {
      status: number
      type: ErrorType
      code?: string | null
      param?: string | null
      cause?: unknown
    },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.status = options.status
    this.type = options.type
    this.code = options.code ?? null
    this.param = options.param ?? null
  }
}

/** The client's request is wrong; retrying it elsewhere would fail the same way. */
export class InvalidRequestError extends SmartSplitError {
  constructor(message: string, options: { param?: string | null; code?: string; status?: number } = {}) {
    super(message, {
      status: options.status ?? 400,
      type: 'invalid_request_error',
      code: options.code ?? 'invalid_request',
      param: options.param ?? null,
    })
  }
}

export class NotFoundError extends SmartSplitError {
  constructor(message: string) {
    super(message, { status: 404, type: 'not_found_error', code: 'not_found' })
  }
}

export class AuthenticationError extends SmartSplitError {
  constructor(message: string) {
    super(message, { status: 401, type: 'authentication_error', code: 'invalid_api_key' })
  }
}

export class NoProvidersConfiguredError extends SmartSplitError {
  constructor(message: string) {
    super(message, { status: 503, type: 'service_unavailable', code: 'no_providers_configured' })
  }
}

/** SmartSplit is stopping: the request was not served, or was cut at the end of the shutdown grace. */
export class ShuttingDownError extends SmartSplitError {
  constructor(message = 'SmartSplit is shutting down; retry the request once it is back.') {
    super(message, { status: 503, type: 'service_unavailable', code: 'shutting_down' })
  }
}

/** What kind of capacity ran out, as far as the provider told us. */
export type QuotaKind = 'minute' | 'day' | 'unknown'

/**
 * Why an upstream attempt failed. The adapter reports the fact; pipeline/ and state/ decide what it means.
 * - `network`: connect error, reset, DNS; `timeout`: no first byte / idle too long
 * - `rate_limit`: 429; `quota`: a daily or monthly quota is spent
 * - `auth`: 401/403; `billing`: 402 / no credits
 * - `overloaded`: 5xx, 529, 408, 409; `bad_request`: 400/422 caused by the request
 * - `context_length`: the request does not fit this model; `not_found`: unknown route or resource
 * - `model_retired`: the provider does not serve this model (404 model_not_found, model_decommissioned,
 *   410 Gone): another model of the same provider may still answer
 * - `malformed`: the upstream answered something that is not its wire format
 */
export type UpstreamFailureKind =
  | 'network'
  | 'timeout'
  | 'rate_limit'
  | 'quota'
  | 'auth'
  | 'billing'
  | 'overloaded'
  | 'bad_request'
  | 'context_length'
  | 'not_found'
  | 'model_retired'
  | 'malformed'

const HOUR_MS = 3_600_000

/**
 * The longest wait an upstream may state in one error: a monthly quota's reset (Brave's search quota is
 * monthly). A header of 400 nines or 99999999999 s is a bug or an attack; what SmartSplit does with a
 * stated wait (a cooldown of at most a day) is the state layer's decision.
 */
export const MAX_STATED_WAIT_MS = 32 * 24 * HOUR_MS

/** The longest Retry-After sent to a client: the latest a daily quota can end (a 25 h day) plus 1 h. */
export const MAX_CLIENT_RETRY_AFTER_MS = 26 * HOUR_MS

/** A wait read from outside as a finite number of ms in [0, `maxMs`], or null when it is not a number. */
export function boundedWaitMs(ms: number | null | undefined, maxMs: number): number | null {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return null
  return Math.min(maxMs, Math.max(0, ms))
}

export class UpstreamError extends SmartSplitError {
  readonly kind: UpstreamFailureKind
  readonly upstreamStatus: number | null
  readonly retryAfterMs: number | null
  readonly quotaKind: QuotaKind | null
  /** True when the same request may succeed on another provider, key or later. */
  readonly retryable: boolean

  constructor(
    message: string,
    options: {
      kind: UpstreamFailureKind
      upstreamStatus?: number | null
      retryAfterMs?: number | null
      quotaKind?: QuotaKind | null
      cause?: unknown
    },
  ) {
    const isClientFault = options.kind === 'bad_request'
    super(message, {
      status: isClientFault ? 400 : 502,
      type: isClientFault ? 'invalid_request_error' : 'upstream_error',
      code: options.kind,
      cause: options.cause,
    })
    this.kind = options.kind
    this.upstreamStatus = options.upstreamStatus ?? null
    this.retryAfterMs = boundedWaitMs(options.retryAfterMs, MAX_STATED_WAIT_MS)
    this.quotaKind = options.quotaKind ?? null
    this.retryable = !isClientFault
  }
}

export interface FailedAttempt {
  provider: string
  model: string
  kind: UpstreamFailureKind
  status: number | null
  message: string
  retryAfterMs: number | null
}

/** Every candidate was tried and none answered. Status 429 when all were only rate-limited. */
export class AllProvidersFailedError extends SmartSplitError {
  readonly attempts: FailedAttempt[]
  readonly retryAfterMs: number | null

  constructor(attempts: FailedAttempt[]) {
    const onlyRateLimited =
      attempts.length > 0 && attempts.every((a) => a.kind === 'rate_limit' || a.kind === 'quota')
    let retryAfterMs: number | null = null
    for (const attempt of attempts) {
      const ms = boundedWaitMs(attempt.retryAfterMs, MAX_CLIENT_RETRY_AFTER_MS)
      if (ms !== null && (retryAfterMs === null || ms < retryAfterMs)) retryAfterMs = ms
    }
    const tried = attempts
      .map((a) => `${a.provider}/${a.model}: ${a.status ?? a.kind} ${a.message}`)
      .join('; ')
    const advice = onlyRateLimited
      ? // At least 1 s, as the Retry-After header says (a wait already over is still a wait of 1 s).
        `Every provider is rate-limited; retry after ${Math.max(1, Math.ceil((retryAfterMs ?? 60_000) / 1000))} s or add more provider keys.`
      : 'Check the providers in GET /health, or add another provider key.'
    super(`All providers failed (${tried}). ${advice}`, {
      status: onlyRateLimited ? 429 : 502,
      type: onlyRateLimited ? 'rate_limit_error' : 'upstream_error',
      code: onlyRateLimited ? 'all_providers_rate_limited' : 'all_providers_failed',
    })
    this.attempts = attempts
    this.retryAfterMs = onlyRateLimited ? (retryAfterMs ?? 60_000) : null
  }
}

/**
 * The one model an embeddings request resolves to cannot answer now, and no other model may stand in
 * (an index must never mix vector spaces): 503, with when to retry where a provider said.
 */
export class EmbeddingModelUnavailableError extends SmartSplitError {
  readonly retryAfterMs: number | null

  constructor(message: string, retryAfterMs: number | null) {
    super(message, { status: 503, type: 'service_unavailable', code: 'embedding_model_unavailable' })
    this.retryAfterMs = boundedWaitMs(retryAfterMs, MAX_CLIENT_RETRY_AFTER_MS)
  }
}
