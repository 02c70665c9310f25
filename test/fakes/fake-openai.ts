import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { validateOpenAIChatRequest } from './fake-openai-validate.js'

// A fake OpenAI-compatible upstream that speaks the real wire format: `data:` SSE frames ending with
// [DONE], role chunk first, tool calls as index-keyed fragments, the usage chunk only when asked for,
// OpenAI-shaped error bodies with x-ratelimit-* and retry-after headers, and faults on demand. It is as
// strict as the real APIs where that matters (auth, required fields) and records what it received.

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: Record<string, unknown>
  /** True when the caller went away before the response was complete. */
  aborted: boolean
}

export type FakeBehavior =
  | {
      kind: 'text'
      text?: string
      pieces?: string[]
      firstByteDelayMs?: number
      chunkDelayMs?: number
      headers?: Record<string, string>
    }
  | {
      kind: 'tool_calls'
      calls: { name: string; arguments: string; id?: string }[]
      argumentPieces?: number
    }
  | {
      kind: 'error'
      status: number
      body?: unknown
      headers?: Record<string, string>
      /** How long the error takes to come (a slow upstream that then refuses). */
      delayMs?: number
    }
  | { kind: 'stall' }
  | { kind: 'cut'; afterPieces: number; pieces?: string[] }
  | { kind: 'midstream_error'; afterPieces: number; message?: string; pieces?: string[] }
  | { kind: 'malformed' }
  | { kind: 'json'; text: string }
  | { kind: 'keepalive_then_text'; comments: number; text: string }

export interface FakeOpenAI {
  url: string
  port: number
  requests: RecordedRequest[]
  /** Behaviors used in order, one per request; `defaultBehavior` after they run out. */
  queue: FakeBehavior[]
  defaultBehavior: FakeBehavior | ((body: Record<string, unknown>) => FakeBehavior)
  openConnections(): number
  close(): Promise<void>
}

export interface FakeOpenAIOptions {
  /** Mistral's habit: usage on the finish chunk of every stream, asked for or not. */
  usageInLastChunk?: boolean
  /**
   * x-ratelimit-* headers sent on every answer, as Groq/OpenAI do. Off by default: fixed figures from a
   * fake would (correctly) make SmartSplit's rate-limit tracking throttle a load test.
   */
  rateLimitHeaders?: Record<string, string>
  model?: string
  /** What GET /v1/models lists; default: `model` alone. */
  models?: string[]
  apiKey?: string
  /** Several keys of one account, all accepted (instead of `apiKey`). */
  apiKeys?: string[]
  behavior?: FakeOpenAI['defaultBehavior']
  /** Reject fields outside this list with a 422 (Mistral's additionalProperties:false). */
  allowedFields?: string[]
  /** Mistral's message order: a user turn right after a tool result is a 400 (its real body). */
  mistralRoleOrder?: boolean
  /**
   * Groq's rule: only user turns may carry an array of parts; a system, assistant or tool turn whose
   * content is not a string (null beside tool calls) is a 400, with Groq's real message.
   */
  stringContentOnly?: boolean
  /** Top-level fields refused with a 400 "property '…' is unsupported" (Groq: logprobs, logit_bias, top_logprobs). */
  unsupportedFields?: string[]
  /** Message fields refused the same way (Groq: messages[].name). */
  unsupportedMessageFields?: string[]
  /**
   * The usage object each answer reports, e.g. OpenAI's prompt_tokens_details.cached_tokens or
   * DeepSeek's prompt_cache_hit_tokens; default 12 prompt and 7 completion tokens, nothing cached.
   */
  usage?: (body: Record<string, unknown>) => Record<string, unknown>
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ error: { message, type, param, code } }))
}

/** The first non-user turn whose content Groq refuses: anything but a string (or null beside tool calls). */
function nonStringContent(
  messages: { role?: unknown; content?: unknown; tool_calls?: unknown }[],
): string | null {
  for (const [i, message] of messages.entries()) {
    if (message.role === 'user' || typeof message.content === 'string') continue
    if (message.role === 'assistant' && message.content == null) continue
    return `'messages.${i}' : for 'role:${String(message.role)}' the following must be satisfied[('messages.${i}.content' : value must be a string)]`
  }
  return null
}

/** Groq's message for the first field it does not support, top-level or on a message; null when none. */
function unsupportedField(
  body: Record<string, unknown>,
  fields: string[],
  messageFields: string[],
): string | null {
  const field = fields.find((name) => body[name] !== undefined)
  if (field !== undefined) return `property '${field}' is unsupported`
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : []
  for (const [i, message] of messages.entries()) {
    const on = messageFields.find((name) => message[name] !== undefined)
    if (on !== undefined) return `'messages.${i}.${on}' : property '${on}' is unsupported`
  }
  return null
}

/** The first turn Mistral refuses for its place: a user turn right after a tool result. */
function misorderedRoles(messages: { role?: unknown }[]): { role: string; after: string } | null {
  for (let i = 1; i < messages.length; i++) {
    if (messages[i]?.role === 'user' && messages[i - 1]?.role === 'tool')
      return { role: 'user', after: 'tool' }
  }
  return null
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const model = options.model ?? 'fake-model'
  const apiKey = options.apiKey ?? 'test-key'
  const accepted = new Set((options.apiKeys ?? [apiKey]).map((key) => `Bearer ${key}`))
  const sockets = new Set<import('node:net').Socket>()
  let sequence = 0

  const fake: FakeOpenAI = {
    url: '',
    port: 0,
    requests: [],
    queue: [],
    defaultBehavior: options.behavior ?? { kind: 'text', text: 'Hello from the fake.' },
    openConnections: () =>
      [...sockets].filter((socket) => !socket.destroyed && socket.readyState === 'open').length,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    if (req.url === '/v1/models' && req.method === 'GET') {
      if (!accepted.has(req.headers.authorization ?? '')) {
        sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key')
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          object: 'list',
          data: (options.models ?? [model]).map((id) => ({
            id,
            object: 'model',
            created: 1,
            owned_by: 'fake',
          })),
        }),
      )
      return
    }
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
      sendError(
        res,
        404,
        `Unknown request URL: ${req.method} ${req.url}`,
        'invalid_request_error',
        'unknown_url',
      )
      return
    }
    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw) as Record<string, unknown>
    } catch {
      sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error', null)
      return
    }
    const recorded: RecordedRequest = {
      method: req.method,
      path: req.url,
      headers: req.headers,
      body,
      aborted: false,
    }
    fake.requests.push(recorded)
    res.on('close', () => {
      if (!res.writableFinished) recorded.aborted = true
    })
    if (!accepted.has(req.headers.authorization ?? '')) {
      sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key')
      return
    }
    if (typeof body.model !== 'string') {
      sendError(res, 400, 'you must provide a model parameter', 'invalid_request_error', null, 'model')
      return
    }
    if (!Array.isArray(body.messages) || body.messages.length === 0) {
      sendError(
        res,
        400,
        "Invalid 'messages': empty array.",
        'invalid_request_error',
        'empty_array',
        'messages',
      )
      return
    }
    const rejection = options.allowedFields === undefined ? validateOpenAIChatRequest(body) : null
    if (rejection !== null) {
      sendError(
        res,
        rejection.status,
        rejection.message,
        'invalid_request_error',
        rejection.code,
        rejection.param,
      )
      return
    }
    if (options.allowedFields !== undefined) {
      const extra = Object.keys(body).find((key) => !options.allowedFields!.includes(key))
      if (extra !== undefined) {
        res.writeHead(422, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            object: 'error',
            message: {
              detail: [
                { type: 'extra_forbidden', loc: ['body', extra], msg: 'Extra inputs are not permitted' },
              ],
            },
            type: 'invalid_request_error',
            param: null,
            code: null,
          }),
        )
        return
      }
    }
    const unsupported = unsupportedField(
      body,
      options.unsupportedFields ?? [],
      options.unsupportedMessageFields ?? [],
    )
    if (unsupported !== null) {
      sendError(res, 400, unsupported, 'invalid_request_error', null)
      return
    }
    const notString =
      options.stringContentOnly === true
        ? nonStringContent(body.messages as { role?: unknown; content?: unknown }[])
        : null
    if (notString !== null) {
      sendError(res, 400, notString, 'invalid_request_error', null)
      return
    }
    const misordered =
      options.mistralRoleOrder === true ? misorderedRoles(body.messages as { role?: unknown }[]) : null
    if (misordered !== null) {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          object: 'error',
          message: `Unexpected role '${misordered.role}' after role '${misordered.after}'`,
          type: 'invalid_request_message_order',
          param: null,
          code: '3230',
        }),
      )
      return
    }
    const next =
      fake.queue.shift() ??
      (typeof fake.defaultBehavior === 'function' ? fake.defaultBehavior(body) : fake.defaultBehavior)
    sequence += 1
    await respond(
      res,
      body,
      next,
      `chatcmpl-fake${sequence}`,
      model,
      options.rateLimitHeaders ?? {},
      options.usageInLastChunk === true,
      options.usage?.(body),
    )
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  fake.port = port
  fake.url = `http://127.0.0.1:${port}/v1`
  return fake
}

function chunk(
  id: string,
  model: string,
  delta: Record<string, unknown>,
  finish: string | null,
  withUsage: boolean,
): string {
  const payload: Record<string, unknown> = {
    id,
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  }
  if (withUsage) payload.usage = null
  return `data: ${JSON.stringify(payload)}\n\n`
}

function splitText(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [text]
}

async function respond(
  res: ServerResponse,
  body: Record<string, unknown>,
  behavior: FakeBehavior,
  id: string,
  model: string,
  rateHeaders: Record<string, string>,
  usageInLastChunk = false,
  reportedUsage?: Record<string, unknown>,
): Promise<void> {
  const isStream = body.stream === true
  const includeUsage =
    (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true
  const usage = reportedUsage ?? { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 }
  switch (behavior.kind) {
    case 'error': {
      if (behavior.delayMs) await sleep(behavior.delayMs)
      res.writeHead(behavior.status, { 'content-type': 'application/json', ...behavior.headers })
      res.end(
        JSON.stringify(
          behavior.body ?? {
            error: {
              message: `fake failure ${behavior.status}`,
              type: 'server_error',
              param: null,
              code: null,
            },
          },
        ),
      )
      return
    }
    case 'stall':
      return // never answers; the caller must time out
    case 'malformed': {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end('data: {this is not json\n\n')
      return
    }
    default:
      break
  }
  const pieces =
    behavior.kind === 'text'
      ? (behavior.pieces ?? splitText(behavior.text ?? 'Hello from the fake.'))
      : behavior.kind === 'cut'
        ? (behavior.pieces ?? ['one ', 'two ', 'three ', 'four '])
        : behavior.kind === 'midstream_error'
          ? (behavior.pieces ?? ['partial ', 'answer ', 'here '])
          : behavior.kind === 'json' || behavior.kind === 'keepalive_then_text'
            ? [behavior.text]
            : []
  if (behavior.kind === 'json' || !isStream) {
    // Non-streaming: a real chat.completion body.
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: pieces.join('') || null,
      refusal: null,
    }
    let finish = 'stop'
    if (behavior.kind === 'tool_calls') {
      message.content = null
      message.tool_calls = behavior.calls.map((call, index) => ({
        id: call.id ?? `call_fake${index}`,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }))
      finish = 'tool_calls'
    }
    res.writeHead(200, { 'content-type': 'application/json', ...rateHeaders })
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created: 1_767_225_600,
        model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
        usage,
      }),
    )
    return
  }
  if (behavior.kind === 'text' && behavior.firstByteDelayMs) await sleep(behavior.firstByteDelayMs)
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...rateHeaders,
    ...(behavior.kind === 'text' ? behavior.headers : {}),
  })
  if (behavior.kind === 'keepalive_then_text') {
    for (let i = 0; i < behavior.comments; i++) res.write(': OPENROUTER PROCESSING\n\n')
  }
  if (behavior.kind === 'tool_calls') {
    res.write(chunk(id, model, { role: 'assistant', content: null }, null, includeUsage))
    behavior.calls.forEach((call, index) => {
      res.write(
        chunk(
          id,
          model,
          {
            tool_calls: [
              {
                index,
                id: call.id ?? `call_fake${index}`,
                type: 'function',
                function: { name: call.name, arguments: '' },
              },
            ],
          },
          null,
          includeUsage,
        ),
      )
      const parts = behavior.argumentPieces ?? 3
      const size = Math.ceil(call.arguments.length / parts) || 1
      for (let at = 0; at < call.arguments.length; at += size) {
        res.write(
          chunk(
            id,
            model,
            { tool_calls: [{ index, function: { arguments: call.arguments.slice(at, at + size) } }] },
            null,
            includeUsage,
          ),
        )
      }
    })
    res.write(chunk(id, model, {}, 'tool_calls', includeUsage))
  } else {
    res.write(chunk(id, model, { role: 'assistant', content: '' }, null, includeUsage))
    if (behavior.kind === 'cut' || behavior.kind === 'midstream_error') await sleep(15)
    for (const [index, piece] of pieces.entries()) {
      if (behavior.kind === 'cut' && index === behavior.afterPieces) {
        res.destroy() // the connection dies mid-answer
        return
      }
      if (behavior.kind === 'midstream_error' && index === behavior.afterPieces) {
        res.end(
          `data: ${JSON.stringify({ error: { message: behavior.message ?? 'Internal error mid-stream', type: 'server_error', code: 502 } })}\n\n`,
        )
        return
      }
      res.write(chunk(id, model, { content: piece }, null, includeUsage))
      if (behavior.kind === 'text' && behavior.chunkDelayMs) await sleep(behavior.chunkDelayMs)
      // Real cuts happen after bytes have left: let them reach the reader before the socket dies.
      if (behavior.kind === 'cut' || behavior.kind === 'midstream_error') await sleep(15)
    }
    if (usageInLastChunk && !includeUsage) {
      const last = JSON.parse(chunk(id, model, {}, 'stop', false).slice(6)) as Record<string, unknown>
      res.write(`data: ${JSON.stringify({ ...last, usage })}\n\n`)
    } else {
      res.write(chunk(id, model, {}, 'stop', includeUsage))
    }
  }
  if (includeUsage) {
    res.write(
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1_767_225_600, model, choices: [], usage })}\n\n`,
    )
  }
  res.end('data: [DONE]\n\n')
}
