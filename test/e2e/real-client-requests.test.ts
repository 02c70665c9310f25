import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import {
  type ClientFixture,
  CLIENT_FIXTURES as FIXTURES,
  loadClientFixture as loadFixture,
} from '../support/client-fixtures.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// Requests the real coding-agent CLIs sent to SmartSplit (test/fixtures/clients/, captured from Claude
// Code, the Codex CLI, OpenCode, Qwen Code and the Continue CLI), replayed over HTTP as they came,
// streamed and not. Claude Code 2.1 puts a role "system" turn after the first user turn (Claude Opus 4.8's
// mid-conversation system messages): SmartSplit answered it 400, so every Claude Code session failed on
// its first prompt. A base URL ending in /v1 made it ask for /v1/v1/messages, answered 404. Its title call asks for structured output through output_config.format, which
// SmartSplit dropped.

/** How each dialect ends a stream, and what its JSON answer calls itself. */
function dialectOf(path: string): { streamEnd: string; jsonCheck: (body: Record<string, unknown>) => void } {
  if (path.includes('/messages'))
    return {
      streamEnd: 'event: message_stop',
      jsonCheck: (body) => expect(body).toMatchObject({ type: 'message', role: 'assistant' }),
    }
  if (path.includes('/responses'))
    return {
      streamEnd: 'event: response.completed',
      jsonCheck: (body) => expect(body).toMatchObject({ object: 'response', status: 'completed' }),
    }
  return {
    streamEnd: 'data: [DONE]',
    jsonCheck: (body) => expect(body).toMatchObject({ object: 'chat.completion' }),
  }
}

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'gk', behavior: { kind: 'text', text: 'Done.' } })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: 'gk', model: 'gpt-oss-120b', limits: UNLIMITED } },
  })
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

async function replay(fixture: ClientFixture, stream: boolean): Promise<Record<string, unknown>> {
  const before = fake.requests.length
  const response = await fetch(`${smartsplit.url}${fixture.path}`, {
    method: fixture.method,
    headers: { ...fixture.headers, authorization: 'Bearer smartsplit', 'x-api-key': 'smartsplit' },
    body: JSON.stringify({ ...fixture.body, stream }),
  })
  const text = await response.text()
  expect(response.status, text).toBe(200)
  const { streamEnd, jsonCheck } = dialectOf(fixture.path)
  if (stream) expect(text).toContain(streamEnd)
  else jsonCheck(JSON.parse(text) as Record<string, unknown>)
  expect(fake.requests.length).toBe(before + 1)
  return fake.requests.at(-1)!.body
}

type UpstreamMessage = { role: string; content?: unknown; tool_call_id?: string }

describe.each([true, false])('requests the real CLIs sent (stream: %s)', (stream) => {
  it.each(FIXTURES)('%s is served, its tool result reaching the upstream', async (name) => {
    const fixture = loadFixture(name)
    const upstream = await replay(fixture, stream)
    const messages = upstream.messages as UpstreamMessage[]
    if (name.endsWith('tool-turn.json')) {
      const result = messages.find((message) => message.role === 'tool')
      expect(result?.tool_call_id, `${fixture.client} ${fixture.version}`).toBe('call_fake0')
    }
  })

  it('Claude Code: the mid-conversation system turn joins the one leading system message', async () => {
    // Qwen, Llama and Gemma chat templates refuse a system message anywhere but first (vllm#41114).
    const upstream = await replay(loadFixture('claude-code.tool-turn.json'), stream)
    const messages = upstream.messages as UpstreamMessage[]
    expect(messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool'])
    const system = messages[0]!.content as string
    expect(system).toContain('\n\nAvailable agent types for the Agent tool')
  })

  it("Claude Code: the billing header, different in every session, stays out of the model's prompt", async () => {
    // "x-anthropic-billing-header: cc_version=2.1.197.35c; …" first would defeat every prefix cache.
    const upstream = await replay(loadFixture('claude-code.tool-turn.json'), stream)
    const system = (upstream.messages as UpstreamMessage[])[0]!.content as string
    expect(system).not.toContain('x-anthropic-billing-header')
    expect(system).toMatch(/^You are a Claude agent, built on Anthropic's Claude Agent SDK\./)
  })

  it('Claude Code with ANTHROPIC_BASE_URL ending in /v1 (it asks for /v1/v1/messages) is served', async () => {
    // Claude Code showed that 404 as "There's an issue with the selected model (claude-opus-4-8[1m])".
    const fixture = loadFixture('claude-code.tool-turn.json')
    await replay({ ...fixture, path: `/v1${fixture.path}` }, stream)
    const counted = await fetch(`${smartsplit.url}/v1/v1/messages/count_tokens?beta=true`, {
      method: 'POST',
      headers: { ...fixture.headers, 'x-api-key': 'smartsplit' },
      body: JSON.stringify({ model: 'claude-sonnet-5', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(counted.status).toBe(200)
  })

  it("Claude Code: the title call's output_config.format reaches the upstream as response_format", async () => {
    const upstream = await replay(loadFixture('claude-code.title.json'), stream)
    expect(upstream.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'output',
        schema: {
          type: 'object',
          properties: { title: { type: 'string' } },
          required: ['title'],
          additionalProperties: false,
        },
      },
    })
  })
})
