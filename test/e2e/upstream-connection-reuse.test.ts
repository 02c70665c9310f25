import { once } from 'node:events'
import { type AddressInfo, createServer, type Socket } from 'node:net'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { ask } from '../support/ask.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Response-queue poisoning (GHSA-35p6-xmwp-9g52): an upstream, or anything on the path to it, writes a
// whole HTTP response on a keep-alive connection while no request is waiting on it. A client that keeps
// the connection and reads those bytes as the answer to its next request hands one user's request
// another answer. SmartSplit's upstream transport (undici's HTTP/1.1 client with its idle-socket check)
// must drop such a connection: the next request gets its own answer, whatever sits on the old socket.

function sse(text: string): string {
  const chunks = [
    { choices: [{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }] },
    { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  ]
  const frames = chunks.map(
    (chunk) =>
      `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', ...chunk })}\n\n`,
  )
  return `${frames.join('')}data: [DONE]\n\n`
}

const httpResponse = (body: string): string =>
  `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`

const POISON = 'POISONED: an answer nobody asked for'

/**
 * An OpenAI-compatible upstream written by hand on raw sockets (node:http would refuse to write a
 * response nobody asked for): it answers each request in order, and `poison()` writes one unsolicited
 * response on every connection that is idle, resolving once the bytes are out.
 */
async function startPoisoningUpstream() {
  const idle = new Set<Socket>()
  let connections = 0
  let answered = 0
  const server = createServer((socket) => {
    connections += 1
    let buffered = ''
    socket.setEncoding('latin1')
    socket.on('data', (data: string) => {
      buffered += data
      while (true) {
        const headEnd = buffered.indexOf('\r\n\r\n')
        if (headEnd === -1) return
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0)
        if (buffered.length < headEnd + 4 + length) return
        buffered = buffered.slice(headEnd + 4 + length)
        answered += 1
        idle.delete(socket)
        socket.write(httpResponse(sse(`Answer number ${answered}, for the request that asked.`)), () => {
          idle.add(socket)
        })
      }
    })
    socket.on('close', () => idle.delete(socket))
    socket.on('error', () => {})
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    connections: () => connections,
    idleConnections: () => idle.size,
    async poison(): Promise<void> {
      await Promise.all(
        [...idle].map(
          (socket) =>
            new Promise<void>((resolve) => socket.write(httpResponse(sse(POISON)), () => resolve())),
        ),
      )
    },
    async close(): Promise<void> {
      for (const socket of idle) socket.destroy()
      server.close()
    },
  }
}

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

/** Two requests through SmartSplit to the poisoning upstream; `poisonWhen` arms the unsolicited answer. */
async function twoRequests(
  stream: boolean,
  poisonWhen: (smartsplit: RunningSmartSplit, poison: () => Promise<void>) => Promise<void>,
) {
  const upstream = await startPoisoningUpstream()
  const smartsplit = await startSmartSplit({
    providers: { groq: { base_url: upstream.url, api_key: 'gsk_poison_test_key_00001' } },
  })
  running.push(smartsplit, upstream)
  const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'unused', maxRetries: 0 })
  const messages = [{ role: 'user' as const, content: 'Say hello.' }]
  const first = await ask(client, { messages }, stream)
  expect(first.text).toBe('Answer number 1, for the request that asked.')
  // The first answer is complete: its connection now waits in SmartSplit's pool.
  expect(upstream.idleConnections()).toBe(1)
  await poisonWhen(smartsplit, () => upstream.poison())
  const second = await ask(client, { messages }, stream)
  return { second, connections: upstream.connections() }
}

describe('an unsolicited response on an idle upstream connection', () => {
  for (const stream of [false, true]) {
    it(`never reaches the next request (${stream ? 'streamed' : 'collected'})`, async () => {
      const { second, connections } = await twoRequests(stream, (_, poison) => poison())
      expect(second.text).not.toContain('POISONED')
      expect(second.text).toBe('Answer number 2, for the request that asked.')
      // The connection that spoke out of turn was dropped, not reused.
      expect(connections).toBe(2)
    })
  }
})

// Known limit of HTTP/1.1 keep-alive, measured for issue 22: undici checks an idle connection in the
// event loop's check phase before writing on it, which catches bytes already read but not bytes that
// reach the socket while SmartSplit handles the request that will reuse it (the check phase follows that
// poll phase without another read). Node's own keep-alive agent does no better; HTTP/2 cannot be
// poisoned this way (every response names its stream). When this turns red, make it an \`it\`.
describe('an unsolicited response arriving while SmartSplit prepares the next request', () => {
  for (const stream of [false, true]) {
    it.fails(`is still taken as that request's answer (${stream ? 'streamed' : 'collected'})`, async () => {
      const { second } = await twoRequests(stream, async (smartsplit, poison) => {
        smartsplit.app.server.server.prependOnceListener('request', (req) =>
          req.once('end', () => void poison()),
        )
      })
      expect(second.text).toBe('Answer number 2, for the request that asked.')
    })
  }
})
