import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 15 item 8: errors raised before a route's handler (invalid JSON, a form-encoded body, nesting over
// 64, a body over the limit, a wrong method, an unknown path) came back in OpenAI's shape on
// /v1/messages too. Every response on /v1/messages* is Anthropic-shaped, whatever layer raises it, and
// every error on /v1/responses has the shape of the Responses API's errors (OpenAI's error object).

const KEY = 'gsk_dialect_key_0000001'
const BODY_LIMIT_BYTES = 64 * 1024

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY } },
    server: { body_limit_bytes: BODY_LIMIT_BYTES, max_messages: 3 },
  })
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

interface Case {
  label: string
  method: string
  body?: string
  contentType?: string
  status: number
}

const anthropicBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], ...extra })

/** The same kinds of bad request on every path of a dialect. */
function badRequests(validBody: (extra?: Record<string, unknown>) => string, messagesField: string): Case[] {
  return [
    { label: 'invalid JSON', method: 'POST', body: '{"model": ', status: 400 },
    {
      label: 'a form-encoded body',
      method: 'POST',
      body: 'model=claude&messages=hi',
      contentType: 'application/x-www-form-urlencoded',
      status: 400,
    },
    { label: 'nesting over 64', method: 'POST', body: `${'['.repeat(100)}${']'.repeat(100)}`, status: 400 },
    {
      label: 'a body over the limit',
      method: 'POST',
      body: validBody({ padding: 'x'.repeat(BODY_LIMIT_BYTES) }),
      status: 413,
    },
    { label: 'an empty body', method: 'POST', body: '', status: 400 },
    { label: 'a JSON array', method: 'POST', body: '[]', status: 400 },
    {
      label: 'too many messages',
      method: 'POST',
      body: validBody({
        [messagesField]: Array.from({ length: 5 }, () => ({ role: 'user', content: 'hi' })),
      }),
      status: 400,
    },
  ]
}

async function send(path: string, item: Case) {
  const response = await fetch(`${smartsplit.url}${path}`, {
    method: item.method,
    headers: { 'content-type': item.contentType ?? 'application/json' },
    ...(item.body === undefined ? {} : { body: item.body }),
  })
  return { status: response.status, text: await response.text() }
}

function expectAnthropicError(text: string, label: string): void {
  const body = JSON.parse(text) as { type: string; error: { type: string; message: string } }
  expect(Object.keys(body).sort(), `${label}: ${text}`).toEqual(['error', 'type'])
  expect(body.type).toBe('error')
  expect(Object.keys(body.error).sort(), label).toEqual(['message', 'type'])
  expect(body.error.type, label).toMatch(/^(invalid_request_error|not_found_error|request_too_large)$/)
  expect(body.error.message.length, label).toBeGreaterThan(10)
}

function expectOpenAIError(text: string, label: string): void {
  const body = JSON.parse(text) as { error: Record<string, unknown> }
  assertMatchesSchema('ErrorResponse', body)
  expect(Object.keys(body.error).sort(), `${label}: ${text}`).toEqual(['code', 'message', 'param', 'type'])
}

const wrongRoutes = (prefix: string): Case[] => [
  { label: 'GET', method: 'GET', status: 404 },
  { label: 'PUT', method: 'PUT', body: '{}', status: 404 },
  { label: 'DELETE', method: 'DELETE', status: 404 },
  { label: `an unknown path under ${prefix}`, method: 'POST', body: '{}', status: 404 },
]

describe('/v1/messages answers every error in Anthropic’s shape', () => {
  it.each(badRequests(anthropicBody, 'messages'))('POST /v1/messages with $label', async (item) => {
    const answer = await send('/v1/messages', item)
    expect(answer.status, answer.text).toBe(item.status)
    expectAnthropicError(answer.text, item.label)
  })

  it.each(badRequests(anthropicBody, 'messages').filter((item) => item.label !== 'too many messages'))(
    'POST /v1/messages/count_tokens with $label',
    async (item) => {
      const answer = await send('/v1/messages/count_tokens', item)
      expect(answer.status, answer.text).toBe(item.status)
      expectAnthropicError(answer.text, item.label)
    },
  )

  it.each(wrongRoutes('/v1/messages'))('$label /v1/messages…', async (item) => {
    const path = item.label.startsWith('an unknown path') ? '/v1/messages/batches' : '/v1/messages'
    const answer = await send(path, item)
    expect(answer.status, answer.text).toBe(item.status)
    expectAnthropicError(answer.text, item.label)
  })
})

const responsesBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'smartsplit', input: 'hi', ...extra })

describe('/v1/responses answers every error in the Responses API’s shape', () => {
  it.each(badRequests(responsesBody, 'input'))('POST /v1/responses with $label', async (item) => {
    const answer = await send('/v1/responses', item)
    expect(answer.status, answer.text).toBe(item.status)
    expectOpenAIError(answer.text, item.label)
  })

  it.each(wrongRoutes('/v1/responses'))('$label /v1/responses…', async (item) => {
    const path = item.label.startsWith('an unknown path') ? '/v1/responses/resp_123/cancel' : '/v1/responses'
    const answer = await send(path, item)
    expect(answer.status, answer.text).toBe(item.status)
    expectOpenAIError(answer.text, item.label)
  })
})
