import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

// A raw node:http upstream that misbehaves on purpose. Each request picks its behaviour by the text of its
// last message, whichever wire asked (OpenAI `messages`, Anthropic `messages` with blocks, Gemini
// `contents` with parts), so many scenarios run concurrently against one server.

export type Misbehavior = (res: ServerResponse, req: IncomingMessage) => void | Promise<void>

export interface RawUpstream {
  url: string
  /** Requests whose response is neither complete nor abandoned by the caller. */
  activeRequests(): number
  /** How many requests asked for the behaviour `name`. */
  requestsFor(name: string): number
  close(): Promise<void>
}

export const chunkFrame = (content: string): string =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'raw', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`

/** Sends `frame` every `everyMs` until the caller goes away. */
export function writeForever(res: ServerResponse, frame: string, everyMs = 20): void {
  const timer = setInterval(() => {
    if (!res.destroyed) res.write(frame)
  }, everyMs)
  res.on('close', () => clearInterval(timer))
}

export const reply =
  (status: number, contentType: string | null, body: string | Buffer): Misbehavior =>
  (res) => {
    res.writeHead(status, contentType === null ? {} : { 'content-type': contentType })
    res.end(body)
  }

interface WireBody {
  messages?: { content: string | { type: string; text?: string }[] }[]
  contents?: { parts: { text?: string }[] }[]
}

/** The last message's text in an OpenAI, Anthropic or Gemini request body. */
function lastUserText(json: unknown): string {
  const body = json as WireBody
  const content = body.messages?.at(-1)?.content
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((block) => block.text ?? '').join('')
  return (body.contents?.at(-1)?.parts ?? []).map((part) => part.text ?? '').join('')
}

export async function startRawUpstream(behaviors: Record<string, Misbehavior>): Promise<RawUpstream> {
  const sockets = new Set<Socket>()
  let active = 0
  const asked = new Map<string, number>()
  const server = createServer(async (req, res) => {
    active += 1
    res.on('close', () => {
      active -= 1
    })
    const parts: Buffer[] = []
    for await (const part of req) parts.push(part as Buffer)
    const name = lastUserText(JSON.parse(Buffer.concat(parts).toString('utf8')) as unknown)
    asked.set(name, (asked.get(name) ?? 0) + 1)
    const behavior = Object.hasOwn(behaviors, name) ? behaviors[name] : undefined
    if (behavior === undefined) {
      res.writeHead(404).end(`no behaviour named ${name}`)
      return
    }
    await behavior(res, req)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    activeRequests: () => active,
    requestsFor: (name) => asked.get(name) ?? 0,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }
}
