import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mistralSchemaProblems } from '../support/openapi.js'
import { fakeVector } from './fake-vector.js'

// A fake of Mistral's Codestral FIM endpoint (POST /v1/fim/completions) and embeddings (POST
// /v1/embeddings), as strict as the real API: bodies are checked against the vendored Mistral spec
// (FIMCompletionRequest, EmbeddingRequest: additionalProperties false, so an unknown field is a 422 in
// Mistral's own shape), FIM only for Codestral models, answers shaped as the spec's examples (a FIM
// answer is a chat.completion; streamed, chat.completion.chunk events with usage on the last one).

export interface MistralRequest {
  path: string
  headers: IncomingMessage['headers']
  body: Record<string, unknown>
}

export type MistralReply =
  | { kind: 'fim'; pieces: string[] }
  | { kind: 'error'; status: number; body: unknown; headers?: Record<string, string> }

export interface FakeMistral {
  url: string
  requests: MistralRequest[]
  /** Replies used once each by the next valid requests; then a short completion or the embeddings. */
  queue: MistralReply[]
  close(): Promise<void>
}

const EMBED_DIMENSIONS: Readonly<Record<string, number>> = { 'mistral-embed': 1024 }

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

const mistralError = (message: unknown, type: string, code: string | null) => ({
  object: 'error',
  message,
  type,
  param: null,
  code,
})

/** Mistral's 422 for a body its schema refuses, as it answers extra fields. */
function validationError(problems: { path: string; missing: string | null; message: string }[]) {
  const detail = problems.slice(0, 3).map((problem) => ({
    type: problem.missing !== null ? 'missing' : 'value_error',
    loc: ['body', ...problem.path.split('/').filter(Boolean), ...(problem.missing ? [problem.missing] : [])],
    msg: problem.message,
  }))
  return mistralError({ detail }, 'invalid_request_error', null)
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const pieces: Buffer[] = []
  for await (const piece of req) pieces.push(piece as Buffer)
  try {
    return JSON.parse(Buffer.concat(pieces).toString('utf8')) as Record<string, unknown>
  } catch {
    return null
  }
}

function fimAnswer(res: ServerResponse, body: Record<string, unknown>, pieces: string[]): void {
  const model = String(body.model)
  const base = { id: 'cmpl-mistral-1', created: 1_767_225_600, model }
  const usage = { prompt_tokens: 8, completion_tokens: pieces.length, total_tokens: 8 + pieces.length }
  if (body.stream !== true) {
    sendJson(res, 200, {
      ...base,
      object: 'chat.completion',
      usage,
      choices: [
        {
          index: 0,
          message: { content: pieces.join(''), tool_calls: null, prefix: false, role: 'assistant' },
          finish_reason: 'stop',
        },
      ],
    })
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  const event = (delta: Record<string, unknown>, finish: string | null, extra = {}) =>
    res.write(
      `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`,
    )
  event({ role: 'assistant', content: '' }, null)
  for (const piece of pieces) event({ content: piece }, null)
  event({ content: '' }, 'stop', { usage })
  res.end('data: [DONE]\n\n')
}

function embeddingsAnswer(res: ServerResponse, body: Record<string, unknown>): void {
  const model = String(body.model)
  const dimensions = EMBED_DIMENSIONS[model]
  if (dimensions === undefined) {
    sendJson(res, 400, mistralError(`Invalid model: ${model}`, 'invalid_model', '1500'))
    return
  }
  const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[])
  const tokens = inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0)
  sendJson(res, 200, {
    id: 'embd-mistral-1',
    object: 'list',
    model,
    data: inputs.map((text, index) => ({
      object: 'embedding',
      index,
      embedding: fakeVector(text, dimensions),
    })),
    usage: { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens, prompt_audio_seconds: null },
  })
}

export async function startFakeMistral(options: { apiKey?: string } = {}): Promise<FakeMistral> {
  const apiKey = options.apiKey ?? 'mistral-key'
  const fake: FakeMistral = { url: '', requests: [], queue: [], close: async () => {} }
  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req)
    const path = req.url ?? ''
    const schema =
      path === '/v1/fim/completions'
        ? 'FIMCompletionRequest'
        : path === '/v1/embeddings'
          ? 'EmbeddingRequest'
          : null
    if (req.method !== 'POST' || schema === null) {
      sendJson(res, 404, { detail: 'Not Found' })
      return
    }
    if (body === null) {
      sendJson(res, 400, mistralError('Invalid JSON body', 'invalid_request_error', null))
      return
    }
    fake.requests.push({ path, headers: req.headers, body })
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      sendJson(res, 401, { message: 'Unauthorized', request_id: 'req_fake' })
      return
    }
    const problems = mistralSchemaProblems(schema, body)
    if (problems !== null) {
      sendJson(res, 422, validationError(problems))
      return
    }
    const reply = fake.queue.shift()
    if (reply?.kind === 'error') {
      sendJson(res, reply.status, reply.body, reply.headers)
      return
    }
    if (schema === 'EmbeddingRequest') {
      embeddingsAnswer(res, body)
      return
    }
    if (!String(body.model).startsWith('codestral')) {
      sendJson(res, 400, mistralError(`Invalid model: ${String(body.model)}`, 'invalid_model', '1500'))
      return
    }
    fimAnswer(res, body, reply?.pieces ?? ['return a', ' + b'])
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
  fake.close = async () => {
    server.closeAllConnections()
    server.close()
    await once(server, 'close').catch(() => {})
  }
  return fake
}
