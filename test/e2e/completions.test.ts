import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeMistral, startFakeMistral } from '../fakes/fake-mistral.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { assertMatchesSchema } from '../support/openapi.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 17 §3: POST /v1/completions, the legacy endpoint editors' autocomplete calls. Routed as
// `autocomplete`: Codestral's native FIM endpoint where Mistral is configured, else a chat model asked
// for the text at the cursor; latency first (fast models, a tight first-byte timeout, no quality-gate
// hold-back); streamed and not; errors in OpenAI's dialect. The requests are the ones Continue and the
// openai SDK really send (Continue wraps prefix and suffix in a FIM template inside `prompt`).

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const PREFIX = 'def add(a, b):\n    '
const SUFFIX = '\n\nprint(add(1, 2))'
/** What Continue sends for model "smartsplit" (its default StarCoder template and stop tokens). */
const continueBody = (stream: boolean) => ({
  model: 'smartsplit',
  prompt: `<fim_prefix>${PREFIX}<fim_suffix>${SUFFIX}<fim_middle>`,
  max_tokens: 64,
  temperature: 0.01,
  stop: [
    '<fim_prefix>',
    '<fim_suffix>',
    '<fim_middle>',
    '<file_sep>',
    '<|endoftext|>',
    '</fim_middle>',
    '</code>',
    '\n\n\n',
  ],
  stream,
})

interface Setup {
  smartsplit: RunningSmartSplit
  mistral: FakeMistral | null
  groq: FakeOpenAI
}

async function setUp(
  options: { mistral?: boolean; firstByteMs?: number; groqText?: string } = {},
): Promise<Setup> {
  const groq = await startFakeOpenAI({
    apiKey: 'gk',
    behavior: { kind: 'text', text: options.groqText ?? '```python\nreturn a + b\n```' },
  })
  running.push(groq)
  const mistral = options.mistral === false ? null : await startFakeMistral({ apiKey: 'mk' })
  if (mistral !== null) running.push(mistral)
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['groq', 'mistral'],
    providers: {
      groq: { base_url: groq.url, api_key: 'gk' },
      ...(mistral === null ? {} : { mistral: { base_url: mistral.url, api_key: 'mk' } }),
    },
    ...(options.firstByteMs === undefined
      ? {}
      : { timeouts: { autocomplete_first_byte_ms: options.firstByteMs } }),
  })
  running.push(smartsplit)
  return { smartsplit, mistral, groq }
}

/** POSTs a body and reads the answer as a client would: JSON, or the text of the streamed chunks. */
async function complete(smartsplit: RunningSmartSplit, body: Record<string, unknown>) {
  const response = await fetch(`${smartsplit.baseURL}/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (body.stream !== true || !response.headers.get('content-type')?.includes('text/event-stream')) {
    const json = (await response.json()) as Record<string, unknown>
    return {
      response,
      json,
      text: ((json.choices as { text: string }[] | undefined)?.[0]?.text ?? null) as string | null,
      frames: [],
    }
  }
  const frames = (await response.text())
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice(6))
  const chunks = frames
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as Record<string, unknown>)
  const text = chunks.map((chunk) => (chunk.choices as { text: string }[])[0]?.text ?? '').join('')
  return { response, json: null, text, frames, chunks }
}

describe.each([false, true])('POST /v1/completions (stream: %s)', (stream) => {
  it("sends Continue's FIM-templated prompt to Codestral's FIM endpoint, prefix and suffix apart", async () => {
    const { smartsplit, mistral, groq } = await setUp()
    const { response, text, frames } = await complete(smartsplit, continueBody(stream))
    expect(response.status).toBe(200)
    expect(text).toBe('return a + b')
    expect(response.headers.get('x-smartsplit-task')).toBe('autocomplete')
    expect(response.headers.get('x-smartsplit-completion')).toBe('native')
    expect(response.headers.get('x-smartsplit-provider')).toBe('mistral')
    expect(response.headers.get('x-smartsplit-model')).toBe('codestral-latest')
    expect(groq.requests).toHaveLength(0)
    expect(mistral!.requests).toHaveLength(1)
    const sent = mistral!.requests[0]!
    expect(sent.path).toBe('/v1/fim/completions')
    expect(sent.body).toMatchObject({
      model: 'codestral-latest',
      prompt: PREFIX,
      suffix: SUFFIX,
      max_tokens: 64,
    })
    // The template's markers and special tokens are gone from the stop list; the real stop stays.
    expect(sent.body.stop).toEqual(['\n\n\n'])
    if (stream) expect(frames.at(-1)).toBe('[DONE]')
  })

  it('asks a chat model for the text at the cursor when no FIM endpoint is there, without its code fence', async () => {
    const { smartsplit, groq } = await setUp({ mistral: false })
    const { response, text } = await complete(smartsplit, continueBody(stream))
    expect(response.status).toBe(200)
    expect(text).toBe('return a + b')
    expect(response.headers.get('x-smartsplit-completion')).toBe('emulated')
    const sent = groq.requests[0]!.body
    // A valid chat request (the fake checks it against OpenAI's schema): four stops at most, no markers.
    expect(sent.stop).toEqual(['\n\n\n'])
    expect(sent).not.toHaveProperty('text_completion')
    const user = (sent.messages as { role: string; content: string }[]).find((m) => m.role === 'user')!
    expect(user.content).toContain(`<before_cursor>\n${PREFIX}</before_cursor>`)
    expect(user.content).toContain(`<after_cursor>${SUFFIX}`)
  })

  it('falls back from a rate-limited Codestral to a chat model', async () => {
    const { smartsplit, mistral, groq } = await setUp()
    mistral!.queue.push({
      kind: 'error',
      status: 429,
      body: {
        object: 'error',
        message: 'Rate limit exceeded',
        type: 'rate_limited',
        param: null,
        code: '1300',
      },
      headers: { 'retry-after': '30' },
    })
    const { response, text } = await complete(smartsplit, continueBody(stream))
    expect(response.status).toBe(200)
    expect(text).toBe('return a + b')
    expect(response.headers.get('x-smartsplit-attempts')).toBe(
      'mistral/codestral-latest=rate_limit, groq/llama-3.1-8b-instant=ok',
    )
    expect(groq.requests).toHaveLength(1)
  })

  it('does not hold an empty completion back for the quality gate (nothing to insert is an answer)', async () => {
    const { smartsplit, groq } = await setUp({ mistral: false, groqText: '' })
    const { response, text } = await complete(smartsplit, { ...continueBody(stream) })
    expect(response.status).toBe(200)
    expect(text).toBe('')
    expect(groq.requests).toHaveLength(1)
  })

  it('gives up on a slow first token sooner than a chat request would', async () => {
    const { smartsplit, groq } = await setUp({ mistral: false, firstByteMs: 200 })
    groq.queue.push({ kind: 'stall' })
    const startedMs = Date.now()
    const { response, json, frames } = await complete(smartsplit, continueBody(stream))
    expect(Date.now() - startedMs).toBeLessThan(5_000)
    const error = json ?? JSON.parse(frames.at(-1) ?? '{}')
    expect(JSON.stringify(error)).toContain('sent nothing within 200 ms')
    if (!stream) expect(response.status).toBe(502)
  })
})

describe('POST /v1/completions with the openai SDK', () => {
  it('answers a suffix request in the spec’s shape, streamed and not', async () => {
    const { smartsplit, mistral } = await setUp()
    const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    const whole = await client.completions.create({
      model: 'smartsplit',
      prompt: PREFIX,
      suffix: SUFFIX,
      max_tokens: 32,
    })
    assertMatchesSchema('CreateCompletionResponse', whole)
    expect(whole.object).toBe('text_completion')
    expect(whole.id).toMatch(/^cmpl-/)
    expect(whole.choices[0]).toMatchObject({ text: 'return a + b', index: 0, finish_reason: 'stop' })
    expect(whole.usage?.total_tokens).toBeGreaterThan(0)

    let text = ''
    let usage: OpenAI.CompletionUsage | undefined
    const stream = await client.completions.create({
      model: 'smartsplit',
      prompt: PREFIX,
      suffix: SUFFIX,
      stream: true,
      stream_options: { include_usage: true },
    })
    for await (const chunk of stream) {
      expect(chunk.object).toBe('text_completion')
      text += chunk.choices[0]?.text ?? ''
      usage = chunk.usage ?? usage
    }
    expect(text).toBe('return a + b')
    expect(usage?.total_tokens).toBeGreaterThan(0)
    // No max_tokens: OpenAI's legacy default of 16.
    expect(mistral!.requests[1]!.body.max_tokens).toBe(16)
  })

  it('refuses what it cannot serve in OpenAI’s error shape', async () => {
    const { smartsplit } = await setUp()
    const cases: [Record<string, unknown>, string | null, string][] = [
      [{ model: 'smartsplit', prompt: 'x', n: 2 }, 'n', 'unsupported_parameter'],
      [{ model: 'smartsplit', prompt: [[1, 2, 3]] }, 'prompt', 'invalid_value'],
      [{ model: 'smartsplit' }, 'prompt', 'invalid_value'],
      [{ model: 'smartsplit', prompt: 'x', echo: true }, 'echo', 'unsupported_parameter'],
    ]
    for (const [body, param, code] of cases) {
      const response = await fetch(`${smartsplit.baseURL}/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(response.status).toBe(400)
      const error = ((await response.json()) as { error: Record<string, unknown> }).error
      expect(error).toMatchObject({ type: 'invalid_request_error', param, code })
      expect(String(error.message).length).toBeGreaterThan(10)
    }
  })
})
