import { AllProvidersFailedError, EmbeddingModelUnavailableError, SmartSplitError } from '../errors.js'
import { ClientGoneError } from '../lib/abort.js'

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}

export interface ErrorResponse {
  status: number
  headers: Record<string, string>
  body: OpenAIErrorBody
}

interface FrameworkError {
  statusCode?: number
  code?: string
  message?: string
}

/** Framework (Fastify) errors for bad input → what the client should do about them. */
function fromFrameworkError(error: FrameworkError): ErrorResponse | null {
  const status = error.statusCode
  if (status === undefined || status < 400 || status >= 500) return null
  const messages: Record<string, string> = {
    FST_ERR_CTP_BODY_TOO_LARGE:
      'The request body is larger than the configured limit (server.body_limit_bytes).',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON object.',
    FST_ERR_CTP_INVALID_MEDIA_TYPE:
      'Unsupported content type; send JSON with Content-Type: application/json.',
  }
  const message =
    (error.code !== undefined ? messages[error.code] : undefined) ?? error.message ?? 'Bad request'
  return {
    status,
    headers: {},
    body: {
      error: {
        message,
        type: 'invalid_request_error',
        param: null,
        code: status === 413 ? 'request_too_large' : (error.code?.toLowerCase() ?? null),
      },
    },
  }
}

/** The one place errors become OpenAI-shaped bodies. `redact` masks secrets in the message. */
export function toErrorResponse(error: unknown, redact: (text: string) => string): ErrorResponse {
  if (error instanceof SmartSplitError) {
    const headers: Record<string, string> = {}
    const waits = error instanceof AllProvidersFailedError || error instanceof EmbeddingModelUnavailableError
    if (waits && error.retryAfterMs !== null) {
      headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)))
    }
    return {
      status: error.status,
      headers,
      body: {
        error: { message: redact(error.message), type: error.type, param: error.param, code: error.code },
      },
    }
  }
  if (error instanceof ClientGoneError) {
    // Nobody reads this answer; 499 (nginx's "client closed request") keeps it out of the error counts.
    return {
      status: 499,
      headers: {},
      body: {
        error: {
          message: 'The client closed the request.',
          type: 'invalid_request_error',
          param: null,
          code: 'client_closed_request',
        },
      },
    }
  }
  const framework = fromFrameworkError(error as FrameworkError)
  if (framework !== null) return framework
  return {
    status: 500,
    headers: {},
    body: {
      error: {
        message: 'SmartSplit hit an internal error; the details are in its log. Retry the request.',
        type: 'server_error',
        param: null,
        code: 'internal_error',
      },
    },
  }
}
