import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from 'node:http2'
import type { AddressInfo } from 'node:net'

// A deliberately cheap OpenAI-compatible upstream for benchmarks: frames are prebuilt strings, no
// validation, no recording. Latency is configurable (before the first byte, between chunks) through
// `POST /__config`, so one long-lived process serves every scenario and target alike. Given a key and
// certificate it also listens over TLS, as real providers do: HTTP/1.1 or HTTP/2 as the client's ALPN
// asks, the same handler and counters.

export interface FakeShape {
  /** Delay before the status line and first frame. */
  firstByteMs: number
  /** Delay between content chunks of a stream (0: written back to back in one tick). */
  chunkGapMs: number
  /** Content chunks per answer (a JSON answer carries their text joined). */
  chunks: number
}

export interface FakeStats {
  requests: number
  streamed: number
  aborted: number
  cpuUserMs: number
  cpuSystemMs: number
  rssBytes: number
}

export interface FakeUpstream {
  port: number
  url: string
  /** The TLS listener's port; null without a certificate. */
  tlsPort: number | null
  shape: FakeShape
  stats(): FakeStats
  close(): Promise<void>
}

export const DEFAULT_SHAPE: FakeShape = { firstByteMs: 0, chunkGapMs: 0, chunks: 5 }

const MODEL = 'bench-model'
const CREATED = 1_767_225_600

interface Frames {
  first: string
  middle: string[]
  finish: string
  usage: string
  done: string
  json: string
}

function frame(delta: Record<string, unknown>, finish: string | null): string {
  const payload = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    choices: [{ index: 0, delta, finish_reason: finish }],
  }
  return `data: ${JSON.stringify(payload)}\n\n`
}

function buildFrames(chunks: number): Frames {
  const pieces = Array.from({ length: chunks }, (_, i) => `tok${i} `)
  const usage = { prompt_tokens: 12, completion_tokens: chunks, total_tokens: 12 + chunks }
  return {
    first: frame({ role: 'assistant', content: pieces[0] ?? '' }, null),
    middle: pieces.slice(1).map((piece) => frame({ content: piece }, null)),
    finish: frame({}, 'stop'),
    usage: `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: CREATED, model: MODEL, choices: [], usage })}\n\n`,
    done: 'data: [DONE]\n\n',
    json: JSON.stringify({
      id: 'chatcmpl-bench',
      object: 'chat.completion',
      created: CREATED,
      model: MODEL,
      choices: [
        { index: 0, message: { role: 'assistant', content: pieces.join('') }, finish_reason: 'stop' },
      ],
      usage,
    }),
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

type AnyRequest = IncomingMessage | Http2ServerRequest
type AnyResponse = ServerResponse | Http2ServerResponse

async function readBody(req: AnyRequest): Promise<string> {
  const parts: Buffer[] = []
  for await (const part of req) parts.push(part as Buffer)
  return Buffer.concat(parts).toString('utf8')
}

function wantsUsage(body: Record<string, unknown>): boolean {
  const options = body.stream_options as { include_usage?: unknown } | undefined
  return options?.include_usage === true
}

export interface FakeTls {
  key: Buffer
  cert: Buffer
}

export async function startFakeUpstream(port = 0, tls?: FakeTls): Promise<FakeUpstream> {
  let shape: FakeShape = { ...DEFAULT_SHAPE }
  let frames = buildFrames(shape.chunks)
  const counters = { requests: 0, streamed: 0, aborted: 0 }

  async function stream(response: AnyResponse, usage: boolean): Promise<void> {
    // Both response kinds take string writes; TypeScript cannot call a union of their overloads.
    const res = response as ServerResponse
    const { chunkGapMs } = shape
    const f = frames
    let closed = false
    res.once('close', () => {
      if (!res.writableEnded) {
        closed = true
        counters.aborted += 1
      }
    })
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    res.write(f.first)
    for (const middle of f.middle) {
      if (chunkGapMs > 0) await sleep(chunkGapMs)
      if (closed) return
      res.write(middle)
    }
    res.end(usage ? f.finish + f.usage + f.done : f.finish + f.done)
  }

  async function handle(req: AnyRequest, res: AnyResponse): Promise<void> {
    const raw = await readBody(req)
    if (req.url === '/__config' && req.method === 'POST') {
      shape = { ...DEFAULT_SHAPE, ...(JSON.parse(raw) as Partial<FakeShape>) }
      frames = buildFrames(shape.chunks)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(shape))
      return
    }
    if (req.url === '/__stats') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fake.stats()))
      return
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}')
      return
    }
    counters.requests += 1
    const body = JSON.parse(raw) as Record<string, unknown>
    if (shape.firstByteMs > 0) await sleep(shape.firstByteMs)
    if (body.stream === true) {
      counters.streamed += 1
      await stream(res, wantsUsage(body))
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(frames.json)
  }

  const server: Server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    handle(req, res).catch(() => res.destroy())
  })
  server.listen(port, '127.0.0.1')
  await once(server, 'listening')
  const actual = (server.address() as AddressInfo).port
  let secure: Http2SecureServer | null = null
  if (tls !== undefined) {
    secure = createSecureServer({ ...tls, allowHTTP1: true }, (req, res) => {
      handle(req, res).catch(() => res.stream?.destroy() ?? req.socket.destroy())
    })
    secure.listen(0, '127.0.0.1')
    await once(secure, 'listening')
  }
  const fake: FakeUpstream = {
    port: actual,
    url: `http://127.0.0.1:${actual}/v1`,
    tlsPort: secure === null ? null : (secure.address() as AddressInfo).port,
    get shape() {
      return shape
    },
    stats() {
      const cpu = process.cpuUsage()
      return {
        ...counters,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        rssBytes: process.memoryUsage.rss(),
      }
    },
    async close() {
      server.closeAllConnections()
      server.close()
      secure?.close()
      await once(server, 'close').catch(() => {})
    },
  }
  return fake
}
