import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { schemaProblems } from '../support/openapi.js'
import { googleError, rateLimitBody } from './fake-gemini-responses.js'
import { fakeVector } from './fake-vector.js'

// Fakes of two embeddings APIs as strict as the real ones. `openai`: POST /v1/embeddings as OpenAI,
// Cloudflare's /ai/v1, Ollama and llama.cpp serve it (the body checked against OpenAI's
// CreateEmbeddingRequest, additionalProperties false; `dimensions` honoured only by models that take it;
// OpenAI's error bodies and x-ratelimit headers). `gemini`: POST
// /v1beta/models/{model}:batchEmbedContents (each request naming its model, at most 100 of them,
// outputDimensionality honoured; google.rpc errors, RESOURCE_EXHAUSTED with RetryInfo). Keys are checked
// the way each API does, and every request is recorded.

export interface EmbeddingModelSpec {
  dimensions: number
  /** Whether a smaller `dimensions` / outputDimensionality is honoured. */
  flexible?: boolean
}

export interface EmbeddingsRequest {
  path: string
  key: string | null
  body: Record<string, unknown>
}

export type EmbeddingsFault = { kind: 'rate_limit'; retryAfterSeconds: number } | { kind: 'server_error' }

export interface FakeEmbeddings {
  /** Base URL: ends in /v1 (openai) or /v1beta (gemini), as the catalogue's. */
  url: string
  requests: EmbeddingsRequest[]
  /** Faults for the next requests, one each, by key (null: any key). */
  faults: { key: string | null; fault: EmbeddingsFault }[]
  close(): Promise<void>
}

interface Options {
  dialect: 'openai' | 'gemini'
  keys: string[]
  models: Record<string, EmbeddingModelSpec>
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(typeof body === 'string' ? body : JSON.stringify(body))
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

const openAIError = (message: string, type: string, code: string | null, param: string | null = null) => ({
  error: { message, type, param, code },
})

function vectorFor(text: string, spec: EmbeddingModelSpec, asked: unknown): number[] {
  const width = spec.flexible === true && typeof asked === 'number' ? asked : spec.dimensions
  return fakeVector(text, width)
}

function serveOpenAI(
  res: ServerResponse,
  body: Record<string, unknown>,
  options: Options,
  fault?: EmbeddingsFault,
) {
  const problems = schemaProblems('CreateEmbeddingRequest', body)
  if (problems !== null) {
    sendJson(
      res,
      400,
      openAIError(`Invalid request: ${problems[0]!.message}`, 'invalid_request_error', 'invalid_value'),
    )
    return
  }
  const spec = options.models[String(body.model)]
  if (spec === undefined) {
    sendJson(
      res,
      404,
      openAIError(
        `The model '${String(body.model)}' does not exist`,
        'invalid_request_error',
        'model_not_found',
      ),
    )
    return
  }
  if (fault?.kind === 'rate_limit') {
    sendJson(res, 429, openAIError('Rate limit reached for requests', 'requests', 'rate_limit_exceeded'), {
      'retry-after': String(fault.retryAfterSeconds),
    })
    return
  }
  if (fault?.kind === 'server_error') {
    sendJson(res, 500, openAIError('The server had an error processing your request.', 'server_error', null))
    return
  }
  const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[])
  const tokens = inputs.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0)
  sendJson(res, 200, {
    object: 'list',
    // Listed in reverse, as nothing promises their order: each item carries its index.
    data: inputs
      .map((text, index) => ({
        object: 'embedding',
        index,
        embedding: vectorFor(text, spec, body.dimensions),
      }))
      .reverse(),
    model: body.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  })
}

const GEMINI_ROUTE = /^\/v1beta\/models\/([^/:]+):batchEmbedContents$/

function serveGemini(
  res: ServerResponse,
  model: string,
  body: Record<string, unknown>,
  options: Options,
  fault?: EmbeddingsFault,
) {
  const spec = options.models[model]
  if (spec === undefined) {
    sendJson(
      res,
      404,
      googleError(
        404,
        'NOT_FOUND',
        `models/${model} is not found for API version v1beta, or is not supported for embedContent.`,
      ),
    )
    return
  }
  const requests = body.requests
  if (!Array.isArray(requests) || requests.length === 0 || requests.length > 100) {
    sendJson(
      res,
      400,
      googleError(
        400,
        'INVALID_ARGUMENT',
        '* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch',
      ),
    )
    return
  }
  for (const [index, request] of requests.entries()) {
    const entry = request as { model?: unknown; content?: { parts?: { text?: unknown }[] } }
    if (entry.model !== `models/${model}`) {
      sendJson(
        res,
        400,
        googleError(
          400,
          'INVALID_ARGUMENT',
          `* BatchEmbedContentsRequest.requests[${index}].model: the model must match the batch's`,
        ),
      )
      return
    }
    if (typeof entry.content?.parts?.[0]?.text !== 'string') {
      sendJson(
        res,
        400,
        googleError(
          400,
          'INVALID_ARGUMENT',
          `* BatchEmbedContentsRequest.requests[${index}].content: contents are not specified`,
        ),
      )
      return
    }
  }
  if (fault?.kind === 'rate_limit') {
    sendJson(res, 429, rateLimitBody('minute', model, `${fault.retryAfterSeconds}s`))
    return
  }
  if (fault?.kind === 'server_error') {
    sendJson(res, 500, googleError(500, 'INTERNAL', 'An internal error has occurred.'))
    return
  }
  sendJson(res, 200, {
    embeddings: requests.map((request) => {
      const entry = request as { content: { parts: { text: string }[] }; outputDimensionality?: unknown }
      return { values: vectorFor(entry.content.parts[0]!.text, spec, entry.outputDimensionality) }
    }),
  })
}

export async function startFakeEmbeddings(options: Options): Promise<FakeEmbeddings> {
  const fake: FakeEmbeddings = { url: '', requests: [], faults: [], close: async () => {} }
  const server = createServer(async (req, res) => {
    const body = await readJson(req)
    const path = (req.url ?? '').split('?')[0]!
    const key =
      options.dialect === 'gemini'
        ? String(req.headers['x-goog-api-key'] ?? '') || null
        : (req.headers.authorization ?? '').replace(/^Bearer /, '') || null
    const gemini = options.dialect === 'gemini' ? GEMINI_ROUTE.exec(path) : null
    const isRoute = options.dialect === 'openai' ? path === '/v1/embeddings' : gemini !== null
    if (req.method !== 'POST' || !isRoute) {
      sendJson(
        res,
        404,
        options.dialect === 'gemini'
          ? googleError(404, 'NOT_FOUND', 'Not found')
          : openAIError('Not found', 'invalid_request_error', 'unknown_url'),
      )
      return
    }
    if (body === null) {
      sendJson(
        res,
        400,
        openAIError('We could not parse the JSON body of your request.', 'invalid_request_error', null),
      )
      return
    }
    fake.requests.push({ path, key, body })
    if (key === null || !options.keys.includes(key)) {
      if (options.dialect === 'gemini')
        sendJson(
          res,
          400,
          googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.'),
        )
      else
        sendJson(
          res,
          401,
          openAIError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
        )
      return
    }
    const at = fake.faults.findIndex((entry) => entry.key === null || entry.key === key)
    const fault = at < 0 ? undefined : fake.faults.splice(at, 1)[0]!.fault
    if (gemini !== null) serveGemini(res, decodeURIComponent(gemini[1]!), body, options, fault)
    else serveOpenAI(res, body, options, fault)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  fake.url = `http://127.0.0.1:${port}/${options.dialect === 'gemini' ? 'v1beta' : 'v1'}`
  fake.close = async () => {
    server.closeAllConnections()
    server.close()
    await once(server, 'close').catch(() => {})
  }
  return fake
}
