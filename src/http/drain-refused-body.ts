import type { FastifyReply, FastifyRequest } from 'fastify'

/** What is read and thrown away of a refused body before the connection is cut after all. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024

export function isBodyTooLarge(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
}

/**
 * A body over the limit is refused while the client is still sending it. Closing the connection at once
 * (Fastify answers with `connection: close`) resets it under a client that is still writing, and Node
 * clients (fetch, the openai SDK, node:http) then report EPIPE instead of reading the 413. So the
 * connection stays open and the rest of the body is read and discarded, up to 64 MiB more (beyond
 * that the connection is cut after all; server.request_timeout_ms bounds the time it may take).
 */
export function drainRefusedBody(request: FastifyRequest, reply: FastifyReply): void {
  reply.removeHeader('connection')
  const raw = request.raw
  if (raw.complete) return
  // Read before the response is sent: left unread, Node would "dump" the body once the response is out,
  // and a dumped body is thrown away before it could be counted.
  let drainedBytes = 0
  raw.on('data', (piece: Buffer) => {
    drainedBytes += piece.length
    if (drainedBytes > MAX_DRAIN_BYTES) raw.socket.destroy()
  })
}
