import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { type Clock, systemClock } from '../../src/lib/clock.js'
import {
  type FakeToolCall,
  fakeMessageEvents,
  fakeMessageJson,
  fakeMessageStart,
} from './fake-anthropic-events.js'
import { validateFakeAnthropicRequest } from './fake-anthropic-validate.js'

// A fake Anthropic Messages API that validates like the real one (fake-anthropic-validate.ts), answers
// with real SSE framing (event: + data:, ping, message_stop, no [DONE]) or JSON when stream is false,
// sends anthropic-ratelimit-* headers with RFC 3339 resets, fails on demand, and records every request.

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown
  /** The status the fake answered with. */
  status: number
}

/** `json`: a whole JSON message even when `stream: true` was asked, as some proxies in front of the API do. */
type Framing = { framing?: 'json' }

export type FakeAnthropicReply =
  | ({
      kind: 'text'
      text: string
      stopReason?: 'end_turn' | 'max_tokens' | 'stop_sequence' | 'refusal'
    } & Framing)
  | ({ kind: 'tool_use'; calls: FakeToolCall[]; text?: string } & Framing)
  /** Bytes as given, e.g. an error body sent with status 200. */
  | { kind: 'raw'; status: number; contentType: string; body: string }
  | { kind: 'rate_limit'; retryAfterSeconds?: number; resetInMs?: number }
  | { kind: 'overloaded' }
  | { kind: 'billing' }
  | { kind: 'error'; status: number; errorType: string; message: string; headers?: Record<string, string> }
  | { kind: 'midstream_error'; text?: string; errorType?: string; message?: string }

export interface FakeAnthropicOptions {
  /** When set, any other x-api-key gets a 401; otherwise any non-empty key is accepted. */
  apiKey?: string
  /** Reported model; defaults to the requested one. */
  model?: string
  /** Reads the time for the RFC 3339 reset headers. */
  clock?: Clock
  /** Characters per text or JSON delta; small values split JSON at awkward places. Default 7. */
  pieceSize?: number
  /** Tokens reported as read from the prompt cache. Default 0. */
  cacheReadTokens?: number
  /** Picks the reply from the request once the script runs out, e.g. a tool call until a result comes. */
  reply?: (body: Record<string, unknown>) => FakeAnthropicReply
}

export interface FakeAnthropic {
  /** Base URL ending in /v1, like the catalog's; POST `${url}/messages`. */
  url: string
  /** Origin without /v1, the form @anthropic-ai/sdk takes as baseURL. */
  origin: string
  requests: RecordedRequest[]
  /** Replies used once each, in order, by the next valid requests. */
  script(...replies: FakeAnthropicReply[]): void
  /** The reply once the script runs out (initially a short text). */
  respondWith(reply: FakeAnthropicReply): void
  close(): Promise<void>
}

const RATE_LIMITS = { requests: 50, tokens: 50_000 }

function rfc3339(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

function rateLimitHeaders(
  nowMs: number,
  remainingRequests: number,
  resetInMs: number,
): Record<string, string> {
  const reset = rfc3339(nowMs + resetInMs)
  return {
    'anthropic-ratelimit-requests-limit': String(RATE_LIMITS.requests),
    'anthropic-ratelimit-requests-remaining': String(remainingRequests),
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-tokens-limit': String(RATE_LIMITS.tokens),
    'anthropic-ratelimit-tokens-remaining': String(remainingRequests === 0 ? 0 : RATE_LIMITS.tokens - 1000),
    'anthropic-ratelimit-tokens-reset': reset,
  }
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...headers })
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId }))
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const clock = options.clock ?? systemClock
  const sockets = new Set<Socket>()
  const queue: FakeAnthropicReply[] = []
  let fallback: FakeAnthropicReply = { kind: 'text', text: 'Hello from the fake Anthropic API.' }
  let sequence = 0

  const respond = (res: ServerResponse, body: Record<string, unknown>, reply: FakeAnthropicReply): number => {
    sequence += 1
    const requestId = `req_fake${String(sequence).padStart(4, '0')}`
    const nowMs = clock.nowMs()
    switch (reply.kind) {
      case 'rate_limit': {
        const retryAfterSeconds = reply.retryAfterSeconds ?? 12
        const headers = {
          ...rateLimitHeaders(nowMs, 0, reply.resetInMs ?? retryAfterSeconds * 1000),
          'retry-after': String(retryAfterSeconds),
          'x-should-retry': 'true',
        }
        const message = `This request would exceed the rate limit for your organization of ${RATE_LIMITS.requests} requests per minute.`
        sendError(res, 429, 'rate_limit_error', message, requestId, headers)
        return 429
      }
      case 'overloaded':
        sendError(res, 529, 'overloaded_error', 'Overloaded', requestId, { 'x-should-retry': 'true' })
        return 529
      case 'billing':
        sendError(
          res,
          402,
          'billing_error',
          'Your credit balance is too low to access the Anthropic API.',
          requestId,
        )
        return 402
      case 'error':
        sendError(res, reply.status, reply.errorType, reply.message, requestId, reply.headers)
        return reply.status
      case 'raw':
        res.writeHead(reply.status, { 'content-type': reply.contentType, 'request-id': requestId })
        res.end(reply.body)
        return reply.status
      default:
        break
    }
    const messages = JSON.stringify(body.messages ?? '')
    let stopReason = 'end_turn'
    if (reply.kind === 'tool_use') stopReason = 'tool_use'
    else if (reply.kind === 'text' && reply.stopReason !== undefined) stopReason = reply.stopReason
    const content = {
      id: `msg_fake${String(sequence).padStart(4, '0')}`,
      model: options.model ?? String(body.model),
      text: reply.text ?? '',
      calls: reply.kind === 'tool_use' ? reply.calls : [],
      stopReason,
      // About four characters per token, like the real tokenizer on English text.
      inputTokens: Math.ceil(messages.length / 4),
      cacheReadTokens: options.cacheReadTokens ?? 0,
      pieceSize: options.pieceSize ?? 7,
    }
    const headers = { 'request-id': requestId, ...rateLimitHeaders(nowMs, RATE_LIMITS.requests - 1, 60_000) }
    const isJsonFramed = (reply.kind === 'text' || reply.kind === 'tool_use') && reply.framing === 'json'
    if (body.stream !== true || isJsonFramed) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' })
      res.end(JSON.stringify(fakeMessageJson(content)))
      return 200
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
    })
    if (reply.kind === 'midstream_error') {
      // Anthropic reports overload after the 200 is sent: the stream starts, then carries an error event.
      res.write(fakeMessageStart(content))
      res.write(
        `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`,
      )
      res.write(
        `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: reply.text ?? 'Partial' } })}\n\n`,
      )
      const error = { type: reply.errorType ?? 'overloaded_error', message: reply.message ?? 'Overloaded' }
      res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error, request_id: requestId })}\n\n`)
      return 200
    }
    for (const frame of fakeMessageEvents(content)) res.write(frame)
    res.end()
    return 200
  }

  const server: Server = createServer(async (req, res) => {
    const pieces: Buffer[] = []
    for await (const piece of req) pieces.push(piece as Buffer)
    const raw = Buffer.concat(pieces).toString('utf8')
    let body: unknown = raw
    try {
      body = JSON.parse(raw)
    } catch {
      // recorded as text; validation answers 400
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body,
      status: 0,
    }
    fake.requests.push(recorded)
    const requestId = `req_fakeinvalid${fake.requests.length}`
    if (req.method !== 'POST' || req.url !== '/v1/messages') {
      recorded.status = 404
      sendError(res, 404, 'not_found_error', `Not Found: ${req.method} ${req.url}`, requestId)
      return
    }
    const rejection = validateFakeAnthropicRequest(req.headers, raw, options.apiKey)
    if (rejection !== null) {
      recorded.status = rejection.status
      sendError(res, rejection.status, rejection.type, rejection.message, requestId)
      return
    }
    recorded.status = respond(
      res,
      body as Record<string, unknown>,
      queue.shift() ?? options.reply?.(body as Record<string, unknown>) ?? fallback,
    )
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const fake: FakeAnthropic = {
    url: `${origin}/v1`,
    origin,
    requests: [],
    script: (...replies) => {
      queue.push(...replies)
    },
    respondWith: (reply) => {
      fallback = reply
    },
    close: async () => {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }
  return fake
}
