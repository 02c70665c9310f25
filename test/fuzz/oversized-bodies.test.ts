import { mkdtempSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type SpawnedSmartSplit, spawnSmartSplit, stopSmartSplit } from '../support/spawn-smartsplit.js'

// Issue 15 item 9: a body over the limit often got EPIPE or ECONNRESET instead of the 413 from Node clients
// (fetch, the openai SDK, node:http; about half of 11–24 MB bodies): the 413 went out with
// `connection: close` and the socket closed while the client was still writing. Every client must read
// the 413 and its JSON error, whatever the size and however the body is sent.

const KEY = 'gsk_fake_oversized_key_000001'
const MB = 1024 * 1024

let fake: FakeOpenAI
let spawned: SpawnedSmartSplit
/** SmartSplit runs in its own process, as users run it: in the test's process the client and server
 * would share one event loop, which hides the race between the server closing and the client reading. */
const smartsplit = { url: '', baseURL: '' }

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  const cwd = mkdtempSync(join(tmpdir(), 'smartsplit-oversized-'))
  // The default limit, 10 MB.
  const config = { free_llm_priority: ['groq'], providers: { groq: { base_url: fake.url, api_key: KEY } } }
  writeFileSync(join(cwd, 'smartsplit.json'), JSON.stringify(config))
  spawned = await spawnSmartSplit(['--port', '0', '--data-dir', join(cwd, 'data')], { cwd })
  smartsplit.url = spawned.url!
  smartsplit.baseURL = `${spawned.url}/v1`
}, 30_000)
afterAll(async () => {
  await stopSmartSplit(spawned)
  await fake.close()
})

const chatBody = (bytes: number): string =>
  JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'x'.repeat(bytes) }] })

type Answer = { status: number; body: string } | { error: string }

function viaNodeHttp(path: string, body: string, chunked: boolean): Promise<Answer> {
  return new Promise((resolve) => {
    const url = new URL(path, smartsplit.url)
    const request = httpRequest(url, {
      method: 'POST',
      headers: chunked
        ? { 'content-type': 'application/json' }
        : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    })
    request.on('response', (response) => {
      let text = ''
      response.on('data', (piece: Buffer) => {
        text += piece
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }))
      response.on('error', (error) => resolve({ error: String(error) }))
    })
    request.on('error', (error) => resolve({ error: String(error) }))
    // Written in pieces, as a client streaming a large body does.
    for (let at = 0; at < body.length; at += MB) request.write(body.slice(at, at + MB))
    request.end()
  })
}

async function viaFetch(path: string, body: string): Promise<Answer> {
  try {
    const response = await fetch(`${smartsplit.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    return { status: response.status, body: await response.text() }
  } catch (error) {
    return { error: `${error} ${(error as { cause?: unknown }).cause ?? ''}` }
  }
}

async function viaOpenAISdk(bytes: number): Promise<Answer> {
  const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
  try {
    await client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'x'.repeat(bytes) }],
    })
    return { error: 'the request succeeded' }
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined)
      return { status: error.status, body: JSON.stringify({ error: error.error }) }
    return { error: String(error) }
  }
}

function expect413(answer: Answer, label: string): void {
  expect('error' in answer ? answer.error : '', label).toBe('')
  if ('error' in answer) return
  expect(answer.status, label).toBe(413)
  expect(answer.body, label).toMatch(/server\.body_limit_bytes/)
}

const sizes = [11, 16, 24]

describe('a body over the limit', () => {
  it.each(sizes)(
    '%i MB: every Node client reads the 413, on every try',
    async (megabytes) => {
      const bytes = megabytes * MB
      const body = chatBody(bytes)
      for (let attempt = 0; attempt < 3; attempt++) {
        expect413(await viaFetch('/v1/chat/completions', body), `fetch, try ${attempt + 1}`)
        expect413(await viaNodeHttp('/v1/chat/completions', body, false), `node:http, try ${attempt + 1}`)
        expect413(
          await viaNodeHttp('/v1/chat/completions', body, true),
          `node:http chunked, try ${attempt + 1}`,
        )
        expect413(await viaOpenAISdk(bytes), `openai SDK, try ${attempt + 1}`)
      }
    },
    60_000,
  )

  it('answers an Anthropic client on /v1/messages in its own shape', async () => {
    const body = JSON.stringify({
      model: 'claude',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x'.repeat(16 * MB) }],
    })
    const answer = await viaNodeHttp('/v1/messages', body, false)
    expect413(answer, 'node:http')
    if (!('error' in answer))
      expect(JSON.parse(answer.body)).toMatchObject({
        type: 'error',
        error: { type: 'request_too_large' },
      })
  })

  it('drains at most 64 MiB of a body far beyond the limit, then cuts the connection', async () => {
    // A raw socket that keeps writing whatever it reads (Node's http client stops once it has its answer).
    const { hostname, port } = new URL(smartsplit.url)
    const piece = Buffer.alloc(MB, 0x20)
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          `POST /v1/chat/completions HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\ncontent-length: ${200 * MB}\r\n\r\n`,
        )
        let sent = 0
        const pump = (): void => {
          while (sent < 200) {
            sent += 1
            if (!socket.write(piece)) return void socket.once('drain', pump)
          }
          socket.end()
        }
        pump()
      })
      socket.on('finish', () => resolve('the server read all 200 MiB'))
      socket.on('error', (error) => resolve(`cut: ${(error as NodeJS.ErrnoException).code}`))
      socket.resume()
    })
    expect(outcome).toMatch(/^cut: (EPIPE|ECONNRESET)$/)
  })

  it('still serves the next request on a fresh connection', async () => {
    const answer = await viaFetch('/v1/chat/completions', chatBody(10))
    expect('error' in answer ? answer.error : answer.status).toBe(200)
  })
})
