// Child-process entry of the floor: a bare node:http pass-through to the fake upstream (no parsing, no
// routing, keep-alive pool), the least any Node proxy pays. Prints one JSON line with its port.
import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

const upstream = new URL(process.env.UPSTREAM_URL ?? 'http://127.0.0.1:1/v1')
const agent = new Agent({ keepAlive: true, maxSockets: 128 })

const server = createServer((req, res) => {
  const out = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  out.on('error', () => res.destroy())
  res.on('close', () => {
    if (!res.writableFinished) out.destroy()
  })
  req.pipe(out)
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ ready: true, port: (server.address() as AddressInfo).port })}\n`)
})
const stop = (): void => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
process.stdin.on('end', stop)
process.stdin.resume()
