// Child-process entry of the floor: a bare node:http pass-through to the fake upstream (no parsing, no
// routing, keep-alive pool), the least any Node proxy pays. Over TLS when UPSTREAM_URL is https, trusting
// the certificate in UPSTREAM_CA. Prints one JSON line with its port.
import { readFileSync } from 'node:fs'
import { Agent, createServer, type IncomingMessage, type RequestOptions, request } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'

const upstream = new URL(process.env.UPSTREAM_URL ?? 'http://127.0.0.1:1/v1')
const isTls = upstream.protocol === 'https:'
const ca = process.env.UPSTREAM_CA === undefined ? undefined : readFileSync(process.env.UPSTREAM_CA)
const agent = isTls
  ? new HttpsAgent({ keepAlive: true, maxSockets: 128, ...(ca === undefined ? {} : { ca }) })
  : new Agent({ keepAlive: true, maxSockets: 128 })
const send = (options: RequestOptions, onAnswer: (answer: IncomingMessage) => void) =>
  isTls ? httpsRequest(options, onAnswer) : request(options, onAnswer)

const server = createServer((req, res) => {
  const out = send(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: upstream.host },
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
