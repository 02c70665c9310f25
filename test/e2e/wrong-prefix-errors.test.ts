import Anthropic, { APIError } from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// A base URL with the wrong prefix sends a client to a path SmartSplit does not serve. The 404 came in
// OpenAI's shape whatever the client, and only listed the routes. It now comes in the dialect the path
// (or an Anthropic SDK's headers) names, and says which base URL to set. Only the doubled /v1 that
// Claude Code makes of ANTHROPIC_BASE_URL=…/v1 is served (base-url-slashes.test.ts); no call of these
// reaches a provider.

const KEY = 'gsk_fake_wrong_prefix_key_0001'

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit
let origin: string

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, behavior: { kind: 'text', text: 'Served.' } })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY, limits: UNLIMITED } },
  })
  origin = smartsplit.url
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

const question = [{ role: 'user' as const, content: 'What is the capital of France?' }]

/** What an Anthropic SDK client with `baseURL` gets from messages.create or messages.stream. */
async function anthropicError(baseURL: string, stream: boolean): Promise<APIError> {
  const client = new Anthropic({ baseURL, apiKey: 'sk-ant-any', maxRetries: 0 })
  const request = { model: 'claude', max_tokens: 50, messages: question }
  const attempt = stream ? client.messages.stream(request).finalMessage() : client.messages.create(request)
  const error = await attempt.then(
    () => null,
    (failure: unknown) => failure,
  )
  if (!(error instanceof APIError)) throw new Error(`expected an APIError, got ${String(error)}`)
  return error
}

function anthropicBody(error: APIError): { type: string; error: { type: string; message: string } } {
  return error.error as { type: string; error: { type: string; message: string } }
}

describe.each([false, true])('an Anthropic SDK client with a wrong base URL (stream: %s)', (stream) => {
  it.each([
    ['/anthropic', '/anthropic/v1/messages'],
    ['/v1/messages', '/v1/messages/v1/messages'],
  ])('base URL %s: an Anthropic 404 that names the base URL to use', async (prefix, path) => {
    const before = fake.requests.length
    const error = await anthropicError(`${origin}${prefix}`, stream)
    expect(error.status).toBe(404)
    expect(anthropicBody(error)).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    const { message } = anthropicBody(error).error
    expect(message).toContain(`Unknown route POST ${path}.`)
    expect(message).toContain(
      `point ANTHROPIC_BASE_URL (or the Anthropic SDK's baseURL) at ${origin}, not ${origin}${prefix}`,
    )
    expect(error.headers?.get('x-request-id')).toBeTruthy()
    expect(fake.requests.length).toBe(before)
  })
})

/** A raw request, as clients that build the URL themselves send it. */
async function send(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const anthropicVersion = { 'anthropic-version': '2023-06-01' }

describe.each([false, true])('Anthropic-looking paths, raw (stream: %s)', (stream) => {
  const body = { model: 'claude', max_tokens: 50, stream, messages: question }

  it('/messages (a base URL without /v1 for a client that adds only /messages): both base URLs named', async () => {
    const answer = await send('POST', '/messages', {}, body)
    expect(answer.status).toBe(404)
    expect(answer.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    const { message } = answer.body.error as { message: string }
    expect(message).toContain(`takes ${origin}/v1`)
    expect(message).toContain(`(ANTHROPIC_BASE_URL, the Anthropic SDKs) takes ${origin}.`)
  })

  it('/v1/complete (the legacy Text Completions API): says to call messages.create', async () => {
    const answer = await send('POST', '/v1/complete', anthropicVersion, {
      model: 'claude-2.1',
      prompt: '\n\nHuman: hi\n\nAssistant:',
      max_tokens_to_sample: 50,
      stream,
    })
    expect(answer.status).toBe(404)
    expect(answer.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    expect((answer.body.error as { message: string }).message).toMatch(
      /not the legacy Text Completions API.*messages\.create/,
    )
  })

  it('/v1/messages/batches: says batches are not served', async () => {
    const answer = await send('POST', '/v1/messages/batches', anthropicVersion, { requests: [] })
    expect(answer.status).toBe(404)
    expect(answer.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    expect((answer.body.error as { message: string }).message).toMatch(/does not serve Message Batches/)
  })

  it('an unknown path asked with Anthropic headers only: Anthropic-shaped', async () => {
    const answer = await send(
      'POST',
      '/api/generate',
      { 'x-api-key': 'sk-ant-any', ...anthropicVersion },
      body,
    )
    expect(answer.status).toBe(404)
    expect(answer.body).toMatchObject({ type: 'error', error: { type: 'not_found_error' } })
    expect((answer.body.error as { message: string }).message).toContain(`at ${origin}.`)
  })
})

it('GET /v1/messages: Anthropic-shaped, says the route takes POST', async () => {
  const answer = await send('GET', '/v1/messages', anthropicVersion)
  expect(answer.status).toBe(404)
  expect(answer.body).toMatchObject({
    type: 'error',
    error: { type: 'not_found_error', message: 'Unknown route GET /v1/messages. /v1/messages takes POST.' },
  })
})

describe.each([false, true])('OpenAI and Responses clients with a wrong base URL (stream: %s)', (stream) => {
  it('an openai SDK client without /v1: an OpenAI 404 that says to add /v1', async () => {
    const client = new OpenAI({ baseURL: origin, apiKey: 'x', maxRetries: 0 })
    const error = await client.chat.completions
      .create({ model: 'smartsplit', messages: question, stream })
      .then(
        () => null,
        (failure: unknown) => failure,
      )
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    const notFound = error as InstanceType<typeof OpenAI.NotFoundError>
    expect(notFound).toMatchObject({ status: 404, type: 'not_found_error', code: 'not_found' })
    expect(notFound.message).toContain(`set the client's base URL to ${origin}/v1.`)
  })

  it('a Responses client under a wrong prefix: OpenAI-shaped, names the Responses base URL', async () => {
    const client = new OpenAI({ baseURL: `${origin}/openai`, apiKey: 'x', maxRetries: 0 })
    const error = await client.responses.create({ model: 'smartsplit', input: 'hi', stream }).then(
      () => null,
      (failure: unknown) => failure,
    )
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    const notFound = error as InstanceType<typeof OpenAI.NotFoundError>
    expect(notFound.message).toContain('Unknown route POST /openai/responses.')
    expect(notFound.message).toContain(`(Codex: base_url of the model provider) to ${origin}/v1.`)
  })
})

it('GET /v1/responses/{id}: OpenAI-shaped, says nothing is stored', async () => {
  const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
  const error = await client.responses.retrieve('resp_123').then(
    () => null,
    (failure: unknown) => failure,
  )
  expect(error).toBeInstanceOf(OpenAI.NotFoundError)
  expect((error as Error).message).toMatch(/keeps no responses to retrieve.*POST \/v1\/responses only/)
})

it('an unknown path with no hint: OpenAI-shaped, lists the routes', async () => {
  const answer = await send('GET', '/v2/whatever')
  expect(answer.status).toBe(404)
  expect(answer.body).toMatchObject({ error: { type: 'not_found_error', code: 'not_found' } })
  expect((answer.body.error as { message: string }).message).toMatch(
    /SmartSplit serves POST \/v1\/chat\/completions, /,
  )
})
