import Anthropic, { APIError } from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/lib/clock.js'
import { type FakeBehavior, type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { routeAll } from '../support/route-all.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// An Anthropic client (the SDK, Claude Code) reads a failure by its type and status: rate_limit_error
// (429, retry-after) and overloaded_error (529) are retried with backoff, api_error (500) is reported.
// When every provider failed, /v1/messages answered api_error with status 502 unless all were
// rate-limited, and a broken stream's event: error said api_error too. Each case below makes every
// provider fail one way and checks what a client of each dialect sees, and that each fake was called
// (or, for a spent quota, not called again). A Responses stream that failed before response.created
// carried SmartSplit's own code (all_providers_rate_limited), not the one Responses clients read.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const CEREBRAS_KEY = 'csk-exhausted-key-00000001'
const GROQ_KEY = 'gsk_exhausted_key_00000002'

const rateLimited = (seconds: number): FakeBehavior => ({
  kind: 'error',
  status: 429,
  headers: { 'retry-after': String(seconds) },
  body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } },
})
const overloaded: FakeBehavior = {
  kind: 'error',
  status: 503,
  body: { error: { message: 'Service temporarily unavailable', type: 'server_error', code: null } },
}
const keyRejected: FakeBehavior = {
  kind: 'error',
  status: 401,
  body: { error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } },
}

interface Setup {
  first: FakeOpenAI
  second: FakeOpenAI
  smartsplit: RunningSmartSplit
}

async function twoFailing(
  firstBehavior: FakeBehavior,
  secondBehavior: FakeBehavior,
  timeouts: { first_byte_ms?: number; keepalive_ms?: number } = {},
): Promise<Setup> {
  const first = await startFakeOpenAI({ apiKey: CEREBRAS_KEY, behavior: firstBehavior })
  const second = await startFakeOpenAI({ apiKey: GROQ_KEY, behavior: secondBehavior })
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: ['cerebras', 'groq'],
      routing: routeAll(['cerebras', 'groq']),
      providers: {
        cerebras: { base_url: first.url, api_key: CEREBRAS_KEY },
        groq: { base_url: second.url, api_key: GROQ_KEY },
      },
      timeouts,
    },
    { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
  )
  running.push(smartsplit, first, second)
  return { first, second, smartsplit }
}

const question = [{ role: 'user' as const, content: 'What is the capital of France?' }]

/** The error an Anthropic SDK client gets, streamed or not, with no retries of its own. */
async function anthropicFailure(smartsplit: RunningSmartSplit, stream: boolean): Promise<APIError> {
  const client = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
  const request = { model: 'claude', max_tokens: 50, messages: question }
  try {
    if (stream) await client.messages.stream(request).finalMessage()
    else await client.messages.create(request)
  } catch (error) {
    if (error instanceof APIError) return error
    throw error
  }
  throw new Error('the request succeeded')
}

/** The Anthropic error body the SDK read: `{type: "error", error: {type, message}}`. */
function anthropicBody(error: APIError): { type: string; error: { type: string; message: string } } {
  return error.error as { type: string; error: { type: string; message: string } }
}

describe.each([false, true])('/v1/messages when every provider failed (stream: %s)', (stream) => {
  it('every provider rate-limited: 429 rate_limit_error with retry-after', async () => {
    const { first, second, smartsplit } = await twoFailing(rateLimited(20), rateLimited(7))
    const error = await anthropicFailure(smartsplit, stream)
    expect(error.status).toBe(429)
    expect(error.headers?.get('retry-after')).toBe('7')
    expect(anthropicBody(error)).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } })
    expect(anthropicBody(error).error.message).toMatch(/retry after 7 s/)
    expect([first.requests.length, second.requests.length]).toEqual([1, 1])
  })

  it('every provider overloaded: 529 overloaded_error, no retry-after', async () => {
    const { first, second, smartsplit } = await twoFailing(overloaded, overloaded)
    const error = await anthropicFailure(smartsplit, stream)
    expect(error.status).toBe(529)
    expect(error.headers?.get('retry-after')).toBeNull()
    expect(anthropicBody(error)).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } })
    expect(anthropicBody(error).error.message).toMatch(/cerebras\/\S+: 503 .*groq\/\S+: 503 /)
    expect([first.requests.length, second.requests.length]).toEqual([1, 1])
  })

  it('rate-limited and overloaded mixed: 529 overloaded_error, no retry-after (as the OpenAI dialect)', async () => {
    const { first, second, smartsplit } = await twoFailing(overloaded, rateLimited(7))
    const error = await anthropicFailure(smartsplit, stream)
    expect(error.status).toBe(529)
    expect(error.headers?.get('retry-after')).toBeNull()
    expect(anthropicBody(error).error.type).toBe('overloaded_error')
    expect(anthropicBody(error).error.message).toMatch(/cerebras\/\S+: 503 .*groq\/\S+: 429 /)
    expect([first.requests.length, second.requests.length]).toEqual([1, 1])
  })

  it('every provider timed out before its first byte: 529 overloaded_error', async () => {
    const { first, second, smartsplit } = await twoFailing(
      { kind: 'stall' },
      { kind: 'stall' },
      { first_byte_ms: 300 },
    )
    const error = await anthropicFailure(smartsplit, stream)
    expect(error.status).toBe(529)
    expect(anthropicBody(error).error.type).toBe('overloaded_error')
    expect(anthropicBody(error).error.message).toMatch(/cerebras\/\S+: timeout .*groq\/\S+: timeout /)
    expect([first.requests.length, second.requests.length]).toEqual([1, 1])
  })

  it("every provider refused SmartSplit's key: 500 api_error that says where to look", async () => {
    const { first, second, smartsplit } = await twoFailing(keyRejected, keyRejected)
    const error = await anthropicFailure(smartsplit, stream)
    expect(error.status).toBe(500)
    expect(error.headers?.get('retry-after')).toBeNull()
    expect(anthropicBody(error).error.type).toBe('api_error')
    expect(anthropicBody(error).error.message).toMatch(/GET \/health/)
    expect([first.requests.length, second.requests.length]).toEqual([1, 1])
  })

  it("the only provider's daily quota spent: 429 rate_limit_error until its day ends, no call made", async () => {
    const fake = await startFakeOpenAI({ apiKey: GROQ_KEY, behavior: { kind: 'text', text: 'Paris.' } })
    const smartsplit = await startSmartSplit(
      { providers: { groq: { base_url: fake.url, api_key: GROQ_KEY, limits: { rpd: 1 } } } },
      { clock: new ManualClock(Date.UTC(2026, 0, 14, 12)) },
    )
    running.push(smartsplit, fake)
    const client = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
    await client.messages.create({ model: 'claude', max_tokens: 50, messages: question })
    const error = await anthropicFailure(smartsplit, stream)
    expect(error.status).toBe(429)
    // Groq's day ends at midnight UTC, twelve hours away.
    expect(error.headers?.get('retry-after')).toBe(String(12 * 3600))
    expect(anthropicBody(error).error.type).toBe('rate_limit_error')
    expect(fake.requests.length).toBe(1)
  })
})

/** The raw SSE frames of a /v1/messages stream, as `{event, data}`. */
async function rawMessagesStream(smartsplit: RunningSmartSplit) {
  const response = await fetch(`${smartsplit.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude', max_tokens: 50, stream: true, messages: question }),
  })
  const text = await response.text()
  const frames = text
    .split('\n\n')
    .filter((frame) => frame.startsWith('event: '))
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n')
      return { event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) }
    })
  return { status: response.status, frames }
}

describe('/v1/messages failures after the stream opened', () => {
  it('every provider timed out while keep-alives held the stream: event: error overloaded_error', async () => {
    const { first, second, smartsplit } = await twoFailing(
      { kind: 'stall' },
      { kind: 'stall' },
      { first_byte_ms: 300, keepalive_ms: 50 },
    )
    const { status, frames } = await rawMessagesStream(smartsplit)
    expect(status).toBe(200)
    expect(frames.map((frame) => frame.event)).toEqual(['error'])
    expect(frames[0]!.data).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } })
    expect([first.requests.length, second.requests.length]).toEqual([1, 1])
  })

  it('a timeout then a rate limit while keep-alives held the stream: event: error overloaded_error', async () => {
    const { first, second, smartsplit } = await twoFailing({ kind: 'stall' }, rateLimited(7), {
      first_byte_ms: 300,
      keepalive_ms: 50,
    })
    const { status, frames } = await rawMessagesStream(smartsplit)
    expect(status).toBe(200)
    expect(frames.map((frame) => frame.event)).toEqual(['error'])
    expect(frames[0]!.data.error.type).toBe('overloaded_error')
    expect(frames[0]!.data.error.message).toMatch(/cerebras\/\S+: timeout .*groq\/\S+: 429 /)
    expect([first.requests.length, second.requests.length]).toEqual([1, 1])
  })

  it('every provider rate-limited, slowly, while keep-alives held the stream: event: error rate_limit_error', async () => {
    const slow = { ...rateLimited(7), delayMs: 150 } as FakeBehavior
    const { first, second, smartsplit } = await twoFailing(slow, slow, { keepalive_ms: 50 })
    const { status, frames } = await rawMessagesStream(smartsplit)
    expect(status).toBe(200)
    expect(frames.map((frame) => frame.event)).toEqual(['error'])
    expect(frames[0]!.data.error.type).toBe('rate_limit_error')
    expect(frames[0]!.data.error.message).toMatch(/retry after 7 s/)
    expect([first.requests.length, second.requests.length]).toEqual([1, 1])
  })

  // Past the quality gate's hold-back (200 characters), so the client has seen content and no fallback
  // is possible.
  const LONG = ['A'.repeat(120), 'B'.repeat(120), 'C'.repeat(120), 'D'.repeat(120)]
  it.each<[string, FakeBehavior]>([
    ['cut', { kind: 'cut', afterPieces: 2, pieces: LONG }],
    ['broken by an error event', { kind: 'midstream_error', afterPieces: 2, pieces: LONG }],
  ])(
    'an answer %s after content ends with event: error overloaded_error, never message_stop',
    async (_, broken) => {
      const { first, second, smartsplit } = await twoFailing(broken, { kind: 'text', text: 'never asked' })
      const client = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
      const stream = client.messages.stream({
        model: 'claude',
        max_tokens: 50,
        messages: question,
      })
      let text = ''
      stream.on('text', (delta) => {
        text += delta
      })
      const error = await stream.finalMessage().then(
        () => null,
        (failure: unknown) => failure,
      )
      expect(error).toBeInstanceOf(APIError)
      expect(anthropicBody(error as APIError)).toMatchObject({
        type: 'error',
        error: { type: 'overloaded_error' },
      })
      expect(text).toBe(LONG[0]! + LONG[1]!)
      expect([first.requests.length, second.requests.length]).toEqual([1, 0])
    },
  )
})

describe.each([false, true])(
  'the OpenAI and Responses dialects keep their own answers (stream: %s)',
  (stream) => {
    it('every provider overloaded: 502 upstream_error on /v1/chat/completions and /v1/responses', async () => {
      const { smartsplit } = await twoFailing(overloaded, overloaded)
      const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
      const chat = await client.chat.completions
        .create({ model: 'smartsplit', messages: question, stream })
        .then(
          () => null,
          (error: unknown) => error,
        )
      expect(chat).toMatchObject({ status: 502, type: 'upstream_error', code: 'all_providers_failed' })
      const responses = await client.responses
        .create({ model: 'smartsplit', input: 'What is the capital of France?', stream })
        .then(
          () => null,
          (error: unknown) => error,
        )
      expect(responses).toMatchObject({ status: 502, type: 'upstream_error', code: 'all_providers_failed' })
    })

    it('every provider rate-limited: 429 rate_limit_error with retry-after on both', async () => {
      const { smartsplit } = await twoFailing(rateLimited(20), rateLimited(7))
      const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
      for (const call of [
        () => client.chat.completions.create({ model: 'smartsplit', messages: question, stream }),
        () =>
          client.responses.create({ model: 'smartsplit', input: 'What is the capital of France?', stream }),
      ]) {
        const error = (await call().then(
          () => null,
          (failure: unknown) => failure,
        )) as InstanceType<typeof OpenAI.APIError>
        expect(error).toMatchObject({
          status: 429,
          type: 'rate_limit_error',
          code: 'all_providers_rate_limited',
        })
        expect(error.headers?.get('retry-after')).toMatch(/^\d+$/)
      }
    })
  },
)

describe('/v1/responses failures after keep-alives opened the stream', () => {
  /** The events a Responses client reads from a stream that failed before response.created. */
  async function responsesEvents(smartsplit: RunningSmartSplit) {
    const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    const stream = await client.responses.create({
      model: 'smartsplit',
      input: 'What is the capital of France?',
      stream: true,
    })
    const events: { type: string; code?: string | null; message?: string }[] = []
    for await (const event of stream) events.push(event as (typeof events)[number])
    return events
  }

  it('every provider rate-limited: an error event with the code clients read, rate_limit_exceeded', async () => {
    const slow = { ...rateLimited(7), delayMs: 150 } as FakeBehavior
    const { first, second, smartsplit } = await twoFailing(slow, slow, { keepalive_ms: 50 })
    const events = await responsesEvents(smartsplit)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'error', code: 'rate_limit_exceeded' })
    expect(events[0]!.message).toMatch(/retry after 7 s/)
    expect([first.requests.length, second.requests.length]).toEqual([1, 1])
  })

  it('every provider timed out: an error event with code server_error', async () => {
    const { smartsplit } = await twoFailing(
      { kind: 'stall' },
      { kind: 'stall' },
      {
        first_byte_ms: 300,
        keepalive_ms: 50,
      },
    )
    const events = await responsesEvents(smartsplit)
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'error', code: 'server_error' })
  })
})
