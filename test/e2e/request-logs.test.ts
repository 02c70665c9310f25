import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ConfigFile } from '../../src/config/schema.js'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// What SmartSplit writes to its log (pino JSON lines, captured from a real server): one line per request
// with its id, a warn line for each failover, quality-gate escalation, breaker opening and cooldown, and
// never the prompt or a key unless log_prompts says so.

const GROQ_KEY = 'gsk_fake_logs_groq_key_000001'
const CEREBRAS_KEY = 'csk-fake-logs-cerebras-key-000001'
const PROMPT = 'Describe autumn leaves over the old bridge in one sentence.'

interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

function lines(smartsplit: RunningSmartSplit): LogLine[] {
  return smartsplit.logs.flatMap((chunk) =>
    chunk
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LogLine),
  )
}

/** The request line for an id; it is written once the response is done, so it is waited for. */
async function requestLine(smartsplit: RunningSmartSplit, requestId: string): Promise<LogLine> {
  return vi.waitFor(() => {
    const found = lines(smartsplit).filter((line) => line.msg === 'request' && line.request_id === requestId)
    expect(found).toHaveLength(1)
    return found[0]!
  })
}

/** Groq first for general work (it fails as told), Cerebras behind it (answers). */
async function fleet(groqBehavior: FakeBehavior, extra: ConfigFile = {}) {
  const groq = await startFakeOpenAI({ apiKey: GROQ_KEY, behavior: groqBehavior })
  const cerebras = await startFakeOpenAI({
    apiKey: CEREBRAS_KEY,
    behavior: { kind: 'text', text: 'Leaves drift down, gold on grey stone.' },
  })
  const smartsplit = await startSmartSplit({
    routing: { general: ['groq', 'cerebras'] },
    providers: {
      groq: { base_url: groq.url, api_key: GROQ_KEY },
      cerebras: { base_url: cerebras.url, api_key: CEREBRAS_KEY },
    },
    ...extra,
  })
  running.push(groq, cerebras, smartsplit)
  const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
  return { smartsplit, client }
}

async function ask(client: OpenAI, stream: boolean, content = PROMPT): Promise<{ id: string; text: string }> {
  const messages = [{ role: 'user' as const, content }]
  if (stream) {
    const { data, response } = await client.chat.completions
      .create({ model: 'smartsplit', messages, stream: true, stream_options: { include_usage: true } })
      .withResponse()
    let text = ''
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? ''
    return { id: response.headers.get('x-request-id')!, text }
  }
  const { data, response } = await client.chat.completions
    .create({ model: 'smartsplit', messages })
    .withResponse()
  return { id: response.headers.get('x-request-id')!, text: data.choices[0]?.message.content ?? '' }
}

describe.each([false, true])('request logs (stream: %s)', (stream) => {
  it('one info line per request: id, endpoint, task, route, who answered, attempts, timings, tokens, status', async () => {
    const { smartsplit, client } = await fleet({ kind: 'error', status: 503 })
    const answer = await ask(client, stream)
    expect(answer.text).toContain('Leaves drift down')
    expect(answer.id).toMatch(/^req_[\w-]{20}$/)
    const line = await requestLine(smartsplit, answer.id)
    expect(line).toMatchObject({
      level: 30,
      method: 'POST',
      endpoint: '/v1/chat/completions',
      status: 200,
      task: 'general',
      route: 'single',
      mode: 'balanced',
      provider: 'cerebras',
      model: 'gpt-oss-120b',
      attempts: ['groq/llama-3.1-8b-instant=overloaded', 'cerebras/gpt-oss-120b=ok'],
      outcome: 'ok',
    })
    for (const field of ['latency_ms', 'ttfb_ms', 'overhead_ms', 'tokens_in', 'tokens_out'])
      expect(line[field], field).toEqual(expect.any(Number))
    expect(line.ttfb_ms as number).toBeLessThanOrEqual(line.latency_ms as number)
    const failover = lines(smartsplit).filter((l) => l.msg === 'failover' && l.request_id === answer.id)
    expect(failover).toEqual([
      expect.objectContaining({
        level: 40,
        failed: ['groq/llama-3.1-8b-instant=overloaded'],
        answered_by: 'cerebras/gpt-oss-120b',
      }),
    ])
    const everything = smartsplit.logs.join('')
    for (const secret of [PROMPT, 'autumn leaves', GROQ_KEY, CEREBRAS_KEY])
      expect(everything).not.toContain(secret)
  })

  it('a warn line when a breaker opens and when a key starts cooling down', async () => {
    // Groq alone, failing: after three failures in five minutes its breaker opens (the requests fail).
    const fake = await startFakeOpenAI({ apiKey: GROQ_KEY, behavior: { kind: 'error', status: 502 } })
    const alone = await startSmartSplit({ providers: { groq: { base_url: fake.url, api_key: GROQ_KEY } } })
    running.push(fake, alone)
    const client = new OpenAI({ baseURL: alone.baseURL, apiKey: 'x', maxRetries: 0 })
    for (let i = 0; i < 3; i++) await expect(ask(client, stream)).rejects.toMatchObject({ status: 502 })
    const opened = lines(alone).filter((line) => line.msg === 'circuit breaker opened')
    expect(opened).toEqual([
      expect.objectContaining({
        level: 40,
        provider: 'groq',
        model: 'llama-3.1-8b-instant',
        reason: expect.stringMatching(/^overloaded 502/),
        until: expect.any(String),
      }),
    ])
    const limited = await fleet({ kind: 'error', status: 429, headers: { 'retry-after': '30' } })
    const answer = await ask(limited.client, stream)
    const cooling = lines(limited.smartsplit).filter((line) => line.msg === 'key cooling down')
    expect(cooling).toEqual([expect.objectContaining({ level: 40, provider: 'groq', key: 1 })])
    expect((await requestLine(limited.smartsplit, answer.id)).attempts).toEqual([
      'groq/llama-3.1-8b-instant=rate_limit',
      'cerebras/gpt-oss-120b=ok',
    ])
    expect(limited.smartsplit.logs.join('')).not.toContain(GROQ_KEY)
  })

  it('a warn line when the quality gate escalates a refusal', async () => {
    const { smartsplit, client } = await fleet({
      kind: 'text',
      text: "I'm sorry, but I can't help with that.",
    })
    const answer = await ask(client, stream)
    expect(answer.text).toContain('Leaves drift down')
    const escalated = lines(smartsplit).filter((l) => l.msg === 'quality gate escalated')
    expect(escalated).toEqual([
      expect.objectContaining({
        level: 40,
        request_id: answer.id,
        refused: ['groq/llama-3.1-8b-instant=refused'],
        answered_by: 'cerebras/gpt-oss-120b',
      }),
    ])
  })

  it('the prompt is logged only when log_prompts is on', async () => {
    const { smartsplit, client } = await fleet({ kind: 'error', status: 503 }, { log_prompts: true })
    const answer = await ask(client, stream)
    expect((await requestLine(smartsplit, answer.id)).prompt).toContain('autumn leaves')
  })
})

describe('the same treatment on every endpoint', () => {
  it('no provider: a 503 request line on chat completions and messages alike, no internal error', async () => {
    const smartsplit = await startSmartSplit({})
    running.push(smartsplit)
    const chat = await fetch(`${smartsplit.baseURL}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: PROMPT }] }),
    })
    const anthropic = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
    const failure = await anthropic.messages
      .create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: PROMPT }] })
      .catch((error: unknown) => error as InstanceType<typeof Anthropic.APIError>)
    expect(chat.status).toBe(503)
    expect(failure).toBeInstanceOf(Anthropic.APIError)
    expect((failure as InstanceType<typeof Anthropic.APIError>).status).toBe(503)
    const ids = [
      chat.headers.get('x-request-id')!,
      (failure as { headers: Headers }).headers.get('x-request-id')!,
    ]
    const found = await Promise.all(ids.map((id) => requestLine(smartsplit, id)))
    expect(found.map((line) => line.endpoint)).toEqual(['/v1/chat/completions', '/v1/messages'])
    for (const line of found) {
      expect(line).toMatchObject({ level: 30, status: 503 })
      expect(String(line.error)).toMatch(/No LLM provider is configured/)
    }
    expect(lines(smartsplit).filter((line) => line.level >= 50)).toEqual([])
    expect(smartsplit.logs.join('')).not.toContain('"stack"')
  })

  it('every response carries x-request-id: errors, status pages, unknown routes', async () => {
    const smartsplit = await startSmartSplit({})
    running.push(smartsplit)
    const seen = new Set<string>()
    for (const path of ['/health', '/v1/models', '/nowhere', '/']) {
      const response = await fetch(`${smartsplit.url}${path}`)
      const id = response.headers.get('x-request-id')
      expect(id, path).toMatch(/^req_/)
      seen.add(id!)
    }
    expect(seen.size).toBe(4)
    const notFound = await requestLine(smartsplit, [...seen][2]!)
    expect(notFound).toMatchObject({ method: 'GET', endpoint: '/nowhere', status: 404 })
  })
})
