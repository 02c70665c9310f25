import { Agent, request } from 'node:http'
import type { Target } from '../targets/target.js'
import { chatBody } from './autocannon-run.js'

// A small HTTP client that timestamps what autocannon cannot see: the first content token of a stream
// and the arrival of every content frame (to show whether a proxy batches them). One keep-alive agent per
// target, so connection setup is not part of the figures.

export interface StreamTiming {
  status: number
  /** Request written → first content-bearing frame received (ms). */
  ttftMs: number
  /** Arrival time of each content-bearing frame, ms after the request was written. */
  frameTimesMs: number[]
  totalMs: number
  aborted: boolean
}

export interface RequestOptions {
  stream: boolean
  /** Drop the connection right after the first content frame (a client that goes away mid-stream). */
  abortAfterFirstFrame?: boolean
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets })
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6

/** True for an SSE `data:` frame whose first choice carries non-empty content. */
function hasContent(frame: string): boolean {
  if (!frame.startsWith('data: ') || frame.startsWith('data: [DONE]')) return false
  try {
    const json = JSON.parse(frame.slice(6)) as { choices?: { delta?: { content?: string } }[] }
    const content = json.choices?.[0]?.delta?.content
    return typeof content === 'string' && content.length > 0
  } catch {
    return false
  }
}

export function timedRequest(target: Target, agent: Agent, options: RequestOptions): Promise<StreamTiming> {
  const body = chatBody(target.model, options.stream)
  const url = new URL(target.url)
  return new Promise((resolve, reject) => {
    const start = nowMs()
    const timing: StreamTiming = {
      status: 0,
      ttftMs: Number.NaN,
      frameTimesMs: [],
      totalMs: 0,
      aborted: false,
    }
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...target.headers,
        },
      },
      (res) => {
        timing.status = res.statusCode ?? 0
        res.setEncoding('utf8')
        let buffered = ''
        res.on('data', (text: string) => {
          const at = nowMs() - start
          if (!options.stream) return
          buffered += text
          let end = buffered.indexOf('\n\n')
          while (end !== -1) {
            const frame = buffered.slice(0, end).trim()
            buffered = buffered.slice(end + 2)
            end = buffered.indexOf('\n\n')
            if (!hasContent(frame)) continue
            if (timing.frameTimesMs.length === 0) timing.ttftMs = at
            timing.frameTimesMs.push(at)
            if (options.abortAfterFirstFrame === true && !timing.aborted) {
              timing.aborted = true
              timing.totalMs = at
              req.destroy()
              resolve(timing)
              return
            }
          }
        })
        res.on('end', () => {
          timing.totalMs = nowMs() - start
          resolve(timing)
        })
        res.on('error', (error) => {
          if (!timing.aborted) reject(error)
        })
      },
    )
    req.on('error', (error) => {
      if (!timing.aborted) reject(error)
    })
    req.end(body)
  })
}
