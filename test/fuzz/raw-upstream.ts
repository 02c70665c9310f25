import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

// A raw node:http upstream that misbehaves on purpose. Each request picks its behaviour by the content of
// its last message, so many scenarios run concurrently against one server.

export type Misbehavior = (res: ServerResponse, req: IncomingMessage) => void | Promise<void>

export interface RawUpstream {
  url: string
  /** Requests whose response is neither complete nor abandoned by the caller. */
  activeRequests(): number
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

export async function startRawUpstream(behaviors: Record<string, Misbehavior>): Promise<RawUpstream> {
  const sockets = new Set<Socket>()
  let active = 0
  const server = createServer(async (req, res) => {
    active += 1
    res.on('close', () => {
      active -= 1
    })
    const parts: Buffer[] = []
    for await (const part of req) parts.push(part as Buffer)
    const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { messages: { content: string }[] }
    const name = body.messages.at(-1)?.content ?? ''
    const behavior = behaviors[name]
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
    close: async () => {
      for (const socket of sockets) socket.destroy()
      server.close()
      await once(server, 'close').catch(() => {})
    },
  }
}
