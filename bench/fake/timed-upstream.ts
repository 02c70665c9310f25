import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

// An OpenAI-compatible upstream in this process whose latency before the first byte is chosen per request
// from its body (so one server can play a slow part, a fast part and the synthesis), and which records
// when each request arrived (headers parsed) and when its response ended (last byte handed to the socket),
// on this process's performance.now() clock. No auth, no validation: the multi-part scenario only.

export interface TimedCall {
  /** What the request was, as labelled by the caller's `pick`. */
  label: string
  stream: boolean
  arrivedMs: number
  /** NaN until the response has ended. */
  endedMs: number
}

export interface TimedShape {
  label: string
  firstByteMs: number
  text: string
}

export interface TimedUpstream {
  url: string
  calls: TimedCall[]
  close(): Promise<void>
}

const MODEL = 'bench-timed-model'
const CREATED = 1_767_225_600
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function frame(delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) {
  const payload = {
    id: 'chatcmpl-timed',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: MODEL,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  }
  return `data: ${JSON.stringify(payload)}\n\n`
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = []
  for await (const part of req) parts.push(part as Buffer)
  return Buffer.concat(parts).toString('utf8')
}

export async function startTimedUpstream(
  pick: (body: Record<string, unknown>) => TimedShape,
): Promise<TimedUpstream> {
  const calls: TimedCall[] = []

  async function handle(req: IncomingMessage, res: ServerResponse, arrivedMs: number): Promise<void> {
    const raw = await readBody(req)
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}')
      return
    }
    const body = JSON.parse(raw) as Record<string, unknown>
    const shape = pick(body)
    const call: TimedCall = {
      label: shape.label,
      stream: body.stream === true,
      arrivedMs,
      endedMs: Number.NaN,
    }
    calls.push(call)
    res.once('finish', () => {
      call.endedMs = performance.now()
    })
    await sleep(shape.firstByteMs)
    const usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 }
    if (!call.stream) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          id: 'chatcmpl-timed',
          object: 'chat.completion',
          created: CREATED,
          model: MODEL,
          choices: [{ index: 0, message: { role: 'assistant', content: shape.text }, finish_reason: 'stop' }],
          usage,
        }),
      )
      return
    }
    const wantsUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true
    const pieces = shape.text.match(/\S+\s*/g) ?? [shape.text]
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    res.write(frame({ role: 'assistant', content: '' }, null))
    for (const piece of pieces) res.write(frame({ content: piece }, null))
    // Without stream_options (Mistral's quirk), usage rides on the finish chunk.
    res.write(frame({}, 'stop', wantsUsage ? {} : { usage }))
    if (wantsUsage)
      res.write(
        `data: ${JSON.stringify({ id: 'chatcmpl-timed', object: 'chat.completion.chunk', created: CREATED, model: MODEL, choices: [], usage })}\n\n`,
      )
    res.end('data: [DONE]\n\n')
  }

  const server: Server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const arrivedMs = performance.now()
    handle(req, res, arrivedMs).catch(() => res.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    async close() {
      server.closeAllConnections()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }
}
