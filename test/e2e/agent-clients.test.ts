import Anthropic from '@anthropic-ai/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 17 §3: the calls coding agents really make besides chat, checked against what SmartSplit serves.
// Claude Code counts tokens through the beta client (`?beta=true`, an anthropic-beta header, cache_control
// and tools in the body) and sends housekeeping calls in the same session; the Codex CLI asks for models
// with a client_version query.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

async function setUp(): Promise<RunningSmartSplit> {
  const groq = await startFakeOpenAI({ apiKey: 'gk' })
  const cerebras = await startFakeOpenAI({ apiKey: 'ck' })
  running.push(groq, cerebras)
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['groq', 'cerebras'],
    providers: {
      groq: { base_url: groq.url, api_key: 'gk' },
      cerebras: { base_url: cerebras.url, api_key: 'ck' },
    },
  })
  running.push(smartsplit)
  return smartsplit
}

const CLAUDE_CODE_HEADERS = {
  'content-type': 'application/json',
  'anthropic-version': '2023-06-01',
  'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14',
  'x-api-key': 'sk-ant-anything',
  'user-agent': 'claude-cli/2.0.0 (external, cli)',
}
const SESSION = 'user_5f2a_account_8c1d_session_0b6e4c2a-1b9d-4f6e-9a3c-2d7e5f8a1c4b'

describe('Claude Code', () => {
  it('counts tokens through the beta client, cache breakpoints, tools and thinking included', async () => {
    const smartsplit = await setUp()
    const body = {
      model: 'claude-sonnet-4-5-20250929',
      system: [
        { type: 'text', text: 'You are Claude Code.'.repeat(200), cache_control: { type: 'ephemeral' } },
      ],
      tools: [
        {
          name: 'Read',
          description: 'Read a file',
          input_schema: { type: 'object', properties: { file_path: { type: 'string' } } },
          cache_control: { type: 'ephemeral' },
        },
      ],
      messages: [
        {
          role: 'user',
          content: [{ type: 'text', text: 'Read a.ts', cache_control: { type: 'ephemeral' } }],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: 'a.ts' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'export {}' }] },
      ],
      thinking: { type: 'enabled', budget_tokens: 4000 },
    }
    const response = await fetch(`${smartsplit.url}/v1/messages/count_tokens?beta=true`, {
      method: 'POST',
      headers: CLAUDE_CODE_HEADERS,
      body: JSON.stringify(body),
    })
    expect(response.status).toBe(200)
    const { input_tokens: inputTokens } = (await response.json()) as { input_tokens: number }
    expect(inputTokens).toBeGreaterThan(800)

    const client = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
    const counted = await client.messages.countTokens({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Hello' }],
    })
    expect(counted.input_tokens).toBeGreaterThan(0)
  })

  it.each([false, true])('keeps housekeeping calls of a session off its pin (stream: %s)', async (stream) => {
    const smartsplit = await setUp()
    const turn = (messages: unknown[], system: string, maxTokens: number) =>
      fetch(`${smartsplit.url}/v1/messages?beta=true`, {
        method: 'POST',
        headers: CLAUDE_CODE_HEADERS,
        body: JSON.stringify({
          model: 'claude-sonnet-4-5-20250929',
          max_tokens: maxTokens,
          stream,
          system,
          metadata: { user_id: SESSION },
          messages,
        }),
      })
    const first = await turn(
      [{ role: 'user', content: 'Refactor src/sum.ts' }],
      'You are Claude Code.',
      32000,
    )
    await first.text()
    expect(first.headers.get('x-smartsplit-affinity')).toBe('new')
    // Claude Code's topic check runs on the small model, in the same session.
    const topic = await turn(
      [{ role: 'user', content: 'Refactor src/sum.ts' }],
      "Analyze if this message indicates a new conversation topic. If it does, extract a 2-3 word title that captures the new topic. Format your response as a JSON object with two fields: 'isNewTopic' (boolean) and 'title' (string, or null if isNewTopic is false).",
      512,
    )
    await topic.text()
    expect(topic.status).toBe(200)
    expect(topic.headers.get('x-smartsplit-affinity')).toBeNull()
    const second = await turn(
      [
        { role: 'user', content: 'Refactor src/sum.ts' },
        { role: 'assistant', content: 'Done.' },
        { role: 'user', content: 'Now add a test.' },
      ],
      'You are Claude Code.',
      32000,
    )
    await second.text()
    expect(second.headers.get('x-smartsplit-affinity')).toBe('kept')
    expect(second.headers.get('x-smartsplit-provider')).toBe(first.headers.get('x-smartsplit-provider'))
  })
})

describe('Codex CLI', () => {
  it('gets the model list with its client_version query', async () => {
    const smartsplit = await setUp()
    const response = await fetch(`${smartsplit.baseURL}/models?client_version=0.99.0`, {
      headers: { authorization: 'Bearer x', originator: 'codex_cli_rs' },
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { object: string; data: { id: string }[] }
    expect(body.object).toBe('list')
    expect(body.data.map((model) => model.id)).toContain('smartsplit')
  })
})
