import type { IncomingMessage } from 'node:http'
import type { Misbehavior } from './raw-upstream.js'
import { reply, writeForever } from './raw-upstream.js'
import type { UpstreamWire } from './upstream-wires.js'

// Issue 9, upstream misbehaviour, played in any provider wire: what an upstream (or a proxy, load
// balancer or captive portal in front of it) can send instead of a valid answer.

/**
 * When the failure shows: `before` any content (fallback is invisible); `after` some content (a failure
 * all the same, still replaced while the quality gate holds the opening back); `late`, after content that
 * may already have reached a streaming client (a client that asked for JSON still gets the healthy
 * answer); `ok`, odd but valid (the answer is `text`); `either`, that valid answer or a failure, never one
 * passed off as the other; `refused`, the provider declined: any answer in the client's dialect alone,
 * the healthy one with a fallback.
 */
export type When = 'before' | 'after' | 'late' | 'ok' | 'either' | 'refused'

export interface Scenario {
  when: When
  behave: Misbehavior
  /** The answer's text when it is valid, or what a `late` failure lets through first; "ab" unless said. */
  text?: string
}

export type Scenarios = Record<string, Scenario>

export const SSE = 'text/event-stream'

/** Frames sent 30 ms apart, then a clean end of the body or a reset. */
export function slowly(frames: string[], reset = false): Misbehavior {
  return async (res) => {
    res.writeHead(200, { 'content-type': SSE })
    for (const frame of frames) {
      res.write(frame)
      await new Promise((resolve) => setTimeout(resolve, 30))
    }
    if (reset) res.destroy()
    else res.end()
  }
}

/** Frames once, then `frame` every 20 ms until SmartSplit goes away. */
const thenForever =
  (head: string, frame: string): Misbehavior =>
  (res) => {
    res.writeHead(200, { 'content-type': SSE }).write(head)
    writeForever(res, frame)
  }

/** What no provider means to send, whatever its wire: HTTP-level failures and broken bodies. */
function brokenHttp(wire: UpstreamWire): Scenarios {
  return {
    'html error page': {
      when: 'before',
      behave: reply(502, 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>'),
    },
    'html with 200': {
      when: 'before',
      behave: reply(200, 'text/html', '<!doctype html><p>Welcome to nginx!</p>'),
    },
    'plain text 200': { when: 'before', behave: reply(200, 'text/plain', 'OK') },
    'SSE data that is not JSON': { when: 'before', behave: reply(200, SSE, 'data: hello world\n\n') },
    'truncated JSON body': {
      when: 'before',
      behave: reply(200, 'application/json', '{"choices":[{"message":{"content":"hel'),
    },
    'truncated SSE event': {
      when: 'before',
      behave: reply(200, SSE, (wire.opening + wire.text('hello')).slice(0, -20)),
    },
    'huge text error body': { when: 'before', behave: reply(500, 'text/plain', 'x'.repeat(8_000_000)) },
    'huge JSON error body': {
      when: 'before',
      behave: reply(503, 'application/json', JSON.stringify({ error: { message: 'y'.repeat(4_000_000) } })),
    },
    'empty 200 JSON': { when: 'before', behave: reply(200, 'application/json', '') },
    'empty 200 SSE': { when: 'before', behave: reply(200, SSE, '') },
    'empty 200 without a content type': { when: 'before', behave: reply(200, null, '') },
    '204 no content': { when: 'before', behave: (res) => void res.writeHead(204).end() },
    'a redirect': {
      when: 'before',
      behave: (res) => void res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end(),
    },
    'a JSON error list': {
      when: 'before',
      behave: reply(503, 'application/json', '[{"error":{"code":503}}]'),
    },
    'a JSON string': { when: 'before', behave: reply(200, 'application/json', '"choices"') },
    'only [DONE]': { when: 'before', behave: reply(200, SSE, 'data: [DONE]\n\n') },
    'only the opening': { when: 'before', behave: reply(200, SSE, wire.opening) },
    'garbage instead of HTTP': {
      when: 'before',
      behave: (res) => void res.socket?.end('SSH-2.0-OpenSSH_9.6\r\n\r\n'),
    },
    'connection reset before headers': { when: 'before', behave: (res) => void res.socket?.destroy() },
  }
}

/** Streams that stall, trickle, or break after a 200, framed in the wire's own events. */
function brokenStreams(wire: UpstreamWire): Scenarios {
  const whole = wire.whole
  const partial = wire.opening + wire.text('partial ')
  return {
    'comments forever': { when: 'before', behave: thenForever('', ': ping\n\n') },
    'empty events forever': { when: 'before', behave: thenForever(wire.opening, wire.idle) },
    'one byte at a time': {
      when: 'before',
      behave: (res) => {
        res.writeHead(200, { 'content-type': SSE })
        let at = 0
        const timer = setInterval(
          () => (res.destroyed ? clearInterval(timer) : res.write(whole[at++ % whole.length]!)),
          40,
        )
      },
    },
    'an error event first': {
      when: 'before',
      behave: reply(200, SSE, wire.opening + wire.errorEvent('Overloaded')),
    },
    'CRLF framing': { when: 'ok', behave: reply(200, SSE, whole.replace(/\n/g, '\r\n')) },
    'CR framing': { when: 'ok', behave: reply(200, SSE, whole.replace(/\n/g, '\r')) },
    'SSE labelled text/plain': { when: 'ok', behave: reply(200, 'text/plain', whole) },
    'SSE without a content type': { when: 'ok', behave: reply(200, null, whole) },
    'data lines without blank lines': {
      when: 'either',
      behave: reply(200, SSE, whole.replace(/\n\n/g, '\n')),
    },
    'SSE labelled application/json': { when: 'either', behave: reply(200, 'application/json', whole) },
    'content, then JSON that is not JSON': { when: 'after', behave: slowly([partial, 'data: {nope\n\n']) },
    'content, then an error event': {
      when: 'after',
      behave: slowly([partial, wire.errorEvent('Overloaded')]),
    },
    'content, then a reset': { when: 'after', behave: slowly([partial], true) },
    // A clean close mid-answer (a proxy or load balancer cutting the response): a truncated answer, not a
    // complete one.
    'content, then the end of the body': { when: 'after', behave: slowly([partial]) },
    // Comments and events that carry nothing are not progress: the idle timeout ends the answer.
    'content, then comments forever': {
      when: 'late',
      text: 'partial ',
      behave: thenForever(partial, ': still here\n\n'),
    },
    'content, then empty events forever': {
      when: 'late',
      text: 'partial ',
      behave: thenForever(partial, wire.idle),
    },
  }
}

/** The key SmartSplit sent, whichever header carried it: upstreams quote it back in errors. */
const keyOf = (req: IncomingMessage): string =>
  String(req.headers.authorization ?? req.headers['x-api-key'] ?? req.headers['x-goog-api-key'] ?? '')

/** Errors that quote the key SmartSplit sent: no client may ever see it. */
function quotingTheKey(wire: UpstreamWire): Scenarios {
  return {
    'an error that quotes the key': {
      when: 'before',
      behave: (res, req) => {
        const message = `Invalid API key: ${keyOf(req)}`
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { message, code: 500 }, type: 'error' }))
      },
    },
    'content, then an error event that quotes the key': {
      when: 'after',
      behave: (res, req) => {
        const quoted = wire.errorEvent(`key ${keyOf(req)} is over quota`)
        return slowly([wire.opening + wire.text('partial '), quoted])(res, req)
      },
    },
  }
}

/** Every misbehaviour that any wire can play. */
export function hostileScenarios(wire: UpstreamWire): Scenarios {
  return { ...brokenHttp(wire), ...brokenStreams(wire), ...quotingTheKey(wire) }
}
