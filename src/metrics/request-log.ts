import type { Logger } from 'pino'
import type { RequestFinished } from './types.js'

/** What the HTTP layer knows about a request once its response is done (or the client left). */
export interface RespondedRequest {
  requestId: string
  method: string
  endpoint: string
  status: number
  latencyMs: number
  /** What failed, already redacted; null when nothing did. */
  error: string | null
}

// Events wait here for their response only briefly (the pipeline reports just before the HTTP layer
// does); the cap keeps one that never meets its response from being kept for ever.
const PENDING_CAP = 1024
// Polled by health checks and scrapers every few seconds: their lines go to debug.
const POLLED_ENDPOINTS = new Set(['/health', '/metrics'])
const NOT_A_CALL = new Set(['ok', 'skipped', 'refused'])

const attemptText = (attempt: RequestFinished['attempts'][number]): string =>
  `${attempt.provider}/${attempt.model}=${attempt.outcome}`

function routeOf(event: RequestFinished): 'single' | 'split' | 'enrich' {
  if (event.route === 'enrich') return 'enrich'
  return event.tasks.length > 1 ? 'split' : 'single'
}

/** The one line for a request: what HTTP saw, and what the pipeline did when it ran. No prompt unless opted in. */
function requestLine(request: RespondedRequest, event: RequestFinished | null): Record<string, unknown> {
  const line: Record<string, unknown> = {
    request_id: request.requestId,
    method: request.method,
    endpoint: request.endpoint,
    status: request.status,
    latency_ms: Math.round(request.latencyMs),
  }
  if (event !== null) {
    Object.assign(line, {
      task: event.tasks.join('+'),
      route: routeOf(event),
      mode: event.mode,
      provider: event.provider,
      model: event.model,
      attempts: event.attempts.map(attemptText),
      ttfb_ms: event.firstTokenMs,
      overhead_ms: event.overheadMs,
      tokens_in: event.tokensIn,
      tokens_out: event.tokensOut,
      tokens_estimated: event.tokensEstimated,
      tokens_cached: event.tokensCached,
      outcome: event.outcome,
    })
    if (event.affinity !== null)
      line.affinity =
        event.affinity.reason === null
          ? event.affinity.decision
          : `${event.affinity.decision} (${event.affinity.reason})`
    // log_prompts: true is the user's opt-in; the event carries the prompt only then.
    if (event.prompt !== null) line.prompt = event.prompt
  }
  if (request.error !== null) line.error = request.error
  return line
}

/** A warn line for each way the request had to work around a provider: failover, a quality-gate escalation. */
function requestWarnings(requestId: string, event: RequestFinished): { message: string; fields: object }[] {
  const answeredBy = event.provider === null ? null : `${event.provider}/${event.model}`
  const warnings: { message: string; fields: object }[] = []
  const failed = event.attempts.filter((attempt) => !NOT_A_CALL.has(attempt.outcome))
  if (failed.length > 0 && answeredBy !== null)
    warnings.push({
      message: 'failover',
      fields: { request_id: requestId, failed: failed.map(attemptText), answered_by: answeredBy },
    })
  const refused = event.attempts.filter((attempt) => attempt.outcome === 'refused')
  if (refused.length > 0)
    warnings.push({
      message: 'quality gate escalated',
      fields: { request_id: requestId, refused: refused.map(attemptText), answered_by: answeredBy },
    })
  return warnings
}

/**
 * One `info` line per request, joined from the pipeline's finished-request event and the HTTP response:
 * request id, endpoint, task, route, who answered, every attempt with its outcome class, latency, time
 * to first token, tokens, status. Plus a `warn` line for a failover or a quality-gate escalation.
 */
export class RequestLog {
  readonly #logger: Logger
  readonly #pending = new Map<string, RequestFinished>()

  constructor(logger: Logger) {
    this.#logger = logger
  }

  /** The pipeline's event, held until the HTTP layer reports the response. */
  finished(event: RequestFinished): void {
    if (event.requestId === null) return
    this.#pending.set(event.requestId, event)
    if (this.#pending.size > PENDING_CAP) this.#pending.delete(this.#pending.keys().next().value!)
  }

  /** Writes the request's line; true when the pipeline served it (it is in the request log then). */
  responded(request: RespondedRequest): boolean {
    const event = this.#pending.get(request.requestId) ?? null
    this.#pending.delete(request.requestId)
    const line = requestLine(request, event)
    if (POLLED_ENDPOINTS.has(request.endpoint)) this.#logger.debug(line, 'request')
    else this.#logger.info(line, 'request')
    if (event === null) return false
    for (const warning of requestWarnings(request.requestId, event))
      this.#logger.warn(warning.fields, warning.message)
    return true
  }
}
