// A strict stand-in for generativelanguage.googleapis.com: same routes, same auth rules, same refusals
// (see fake-gemini-validate.ts), same framing: `data: <GenerateContentResponse>\r\n\r\n`, cumulative
// usageMetadata on every event, finishReason on the last, no [DONE], end of stream = socket close.
// 429s carry a RetryInfo body and no rate-limit headers, as Google's do.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  foldEvents,
  type GeminiScript,
  googleError,
  rateLimitBody,
  toEvents,
  tokens,
} from './fake-gemini-responses.js'
import { type GeminiRejection, validateGeminiRequest } from './fake-gemini-validate.js'

export type { GeminiScript } from './fake-gemini-responses.js'

export interface RecordedRequest {
  method: string
  /** Path and query, e.g. `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`. */
  url: string
  path: string
  model: string | null
  isStream: boolean
  headers: IncomingHttpHeaders
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown
}

export interface FakeGeminiOptions {
  /** The only key accepted (header `x-goog-api-key` or `?key=`). Default 'test-gemini-key'. */
  apiKey?: string
  /** Whether a model enforces thought signatures. Default: names containing "gemini-3". */
  requireThoughtSignatures?: (model: string) => boolean
  /** When set, other model names answer 404 NOT_FOUND. */
  models?: readonly string[]
  /** Answered when the script queue is empty. Default: a short text. */
  defaultScript?: GeminiScript | ((body: unknown) => GeminiScript)
}

export interface FakeGemini {
  url: string
  requests: RecordedRequest[]
  /** Queue answers for the next requests, in order. */
  respondWith(...scripts: GeminiScript[]): void
  close(): Promise<void>
}

const ROUTE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/
const SKIP_SIGNATURE = 'skip_thought_signature_validator'

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const pieces: Buffer[] = []
    request.on('data', (piece: Buffer) => pieces.push(piece))
    request.on('end', () => resolve(Buffer.concat(pieces).toString('utf8')))
    request.on('error', reject)
  })
}

export async function startFakeGemini(options: FakeGeminiOptions = {}): Promise<FakeGemini> {
  const apiKey = options.apiKey ?? 'test-gemini-key'
  const requiresSignatures =
    options.requireThoughtSignatures ?? ((model: string) => model.includes('gemini-3'))
  const queue: GeminiScript[] = []
  const requests: RecordedRequest[] = []
  const issuedSignatures = new Set<string>()
  let counter = 0
  const sign = (): string => {
    const signature = Buffer.from(`fake-gemini-thought-signature-${++counter}`).toString('base64')
    issuedSignatures.add(signature)
    return signature
  }

  function reject(
    response: ServerResponse,
    rejection: GeminiRejection,
    contentType = 'application/json; charset=UTF-8',
  ): void {
    response.writeHead(rejection.status, { 'content-type': contentType })
    response.end(googleError(rejection.status, rejection.googleStatus, rejection.message, rejection.details))
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake-gemini')
    const text = await readBody(request)
    let body: unknown = text
    let isJson = true
    try {
      body = JSON.parse(text)
    } catch {
      isJson = false
    }
    const route = ROUTE.exec(url.pathname)
    const model = route?.[1] ?? null
    const isStream = route?.[2] === 'streamGenerateContent'
    requests.push({
      method: request.method ?? 'GET',
      url: url.pathname + url.search,
      path: url.pathname,
      model,
      isStream,
      headers: request.headers,
      body,
    })
    // Errors on the SSE route still come back as a JSON body, under an event-stream content type [obs].
    const errorType =
      isStream && url.searchParams.get('alt') === 'sse'
        ? 'text/event-stream'
        : 'application/json; charset=UTF-8'

    if (route === null || model === null || request.method !== 'POST') {
      return reject(response, {
        status: 404,
        googleStatus: 'NOT_FOUND',
        message: `Requested entity was not found.`,
      })
    }
    const key = request.headers['x-goog-api-key'] ?? url.searchParams.get('key')
    if (key === undefined || key === null || key === '') {
      return reject(
        response,
        {
          status: 403,
          googleStatus: 'PERMISSION_DENIED',
          message:
            "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
        },
        errorType,
      )
    }
    if (key !== apiKey) {
      return reject(
        response,
        {
          status: 400,
          googleStatus: 'INVALID_ARGUMENT',
          message: 'API key not valid. Please pass a valid API key.',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'API_KEY_INVALID',
              domain: 'googleapis.com',
              metadata: { service: 'generativelanguage.googleapis.com' },
            },
          ],
        },
        errorType,
      )
    }
    if (options.models !== undefined && !options.models.includes(model)) {
      return reject(
        response,
        {
          status: 404,
          googleStatus: 'NOT_FOUND',
          message: `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
        },
        errorType,
      )
    }
    if (!isJson) {
      return reject(
        response,
        {
          status: 400,
          googleStatus: 'INVALID_ARGUMENT',
          message: `Invalid JSON payload received. Unexpected token.\n${text.slice(0, 40)}\n^`,
        },
        errorType,
      )
    }
    const rejection = validateGeminiRequest(body, {
      requireThoughtSignatures: requiresSignatures(model),
      isKnownSignature: (signature) => signature === SKIP_SIGNATURE || issuedSignatures.has(signature),
    })
    if (rejection !== null) return reject(response, rejection, errorType)

    const fallback =
      typeof options.defaultScript === 'function' ? options.defaultScript(body) : options.defaultScript
    const script = queue.shift() ?? fallback ?? { type: 'text', chunks: ['Hello', ' from fake Gemini.'] }
    if (script.type === 'raw') {
      response.writeHead(script.status, {
        'content-type': script.contentType ?? 'application/json; charset=UTF-8',
      })
      return void response.end(script.body)
    }
    if (script.type === 'rateLimit') {
      response.writeHead(429, { 'content-type': errorType })
      return void response.end(
        rateLimitBody(
          script.window,
          model,
          script.retryDelay ?? (script.window === 'day' ? '13s' : '45.837906927s'),
        ),
      )
    }
    if (script.type === 'error')
      return reject(
        response,
        { status: script.status, googleStatus: script.googleStatus, message: script.message },
        errorType,
      )

    const events = toEvents(script, model, tokens(text), `fake-${++counter}`, sign)
    if (isStream && 'framing' in script && script.framing === 'json-array') {
      // Google's framing without alt=sse: one array, written one response at a time.
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' })
      for (const [index, event] of events.entries())
        response.write(`${index === 0 ? '[' : ',\r\n'}${JSON.stringify(event)}`)
      return void response.end(']')
    }
    if (!isStream || ('framing' in script && script.framing === 'json-object')) {
      response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' })
      return void response.end(`${JSON.stringify(foldEvents(events), null, 2)}\n`)
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'content-disposition': 'attachment' })
    const limit =
      script.type === 'text' && script.dropAfterEvents !== undefined ? script.dropAfterEvents : events.length
    for (const event of events.slice(0, limit)) response.write(`data: ${JSON.stringify(event)}\r\n\r\n`)
    if (limit < events.length) {
      // Let the written events reach the client, then cut the connection as a reset would.
      response.socket?.end(() => response.destroy())
      return
    }
    response.end()
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' })
      response.end(googleError(500, 'INTERNAL', String(error)))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith: (...scripts) => void queue.push(...scripts),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
