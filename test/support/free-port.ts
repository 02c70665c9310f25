import { once } from 'node:events'
import { createServer } from 'node:net'

/** A loopback port free a moment ago (for a server a test starts, or one it needs to find closed). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  server.close()
  await once(server, 'close')
  return port
}
