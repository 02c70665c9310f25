import { afterEach, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Mistral refuses a user turn right after a tool result (400 "Unexpected role 'user' after role
// 'tool'", code 3230). Agents send that order whenever the user, or the client's own reminder text,
// speaks before the model has answered its tool results: Claude Code puts text beside its tool_result
// blocks, an OpenAI client sends a user message after its tool messages. SmartSplit puts an assistant
// turn between them for Mistral; the fake answers as strictly as the real API.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

async function setUp(): Promise<{ smartsplit: RunningSmartSplit; mistral: FakeOpenAI }> {
  const mistral = await startFakeOpenAI({
    apiKey: 'mistral-fake-key-0001',
    mistralRoleOrder: true,
    behavior: { kind: 'text', text: 'Bonjour after the tools.' },
  })
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['mistral'],
    providers: { mistral: { base_url: mistral.url, api_key: 'mistral-fake-key-0001' } },
  })
  running.push(smartsplit, mistral)
  return { smartsplit, mistral }
}

/** The answer's text, whole or from its streamed pieces (chat deltas or Anthropic text deltas). */
function answerText(raw: string): string {
  if (!raw.startsWith('data:') && !raw.startsWith('event:')) return raw
  return raw
    .split('\n')
    .filter((line) => line.startsWith('data: {'))
    .map(
      (line) =>
        JSON.parse(line.slice(6)) as {
          choices?: { delta?: { content?: string | null } }[]
          delta?: { text?: string }
        },
    )
    .map((event) => event.choices?.[0]?.delta?.content ?? event.delta?.text ?? '')
    .join('')
}

const roles = (fake: FakeOpenAI): unknown[] =>
  (fake.requests.at(-1)!.body.messages as { role: string }[]).map((message) => message.role)

describe.each([false, true])('a user turn after tool results, to Mistral (stream: %s)', (stream) => {
  it('from an OpenAI chat client: an assistant turn goes between, and the answer comes back', async () => {
    const { smartsplit, mistral } = await setUp()
    const response = await fetch(`${smartsplit.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'smartsplit',
        stream,
        tools: [{ type: 'function', function: { name: 'ls', parameters: { type: 'object' } } }],
        messages: [
          { role: 'user', content: 'List the files.' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'ls', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'a.txt b.txt' },
          { role: 'user', content: 'Only the text files, please.' },
        ],
      }),
    })
    expect(response.status).toBe(200)
    expect(answerText(await response.text())).toContain('Bonjour after the tools.')
    expect(roles(mistral)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user'])
    const sent = mistral.requests.at(-1)!.body.messages as { role: string; content: unknown }[]
    expect(sent[3]!.content).toBe('Understood.')
    expect(sent[4]!.content).toBe('Only the text files, please.')
  })

  it('from an Anthropic client with text beside its tool_result, as Claude Code sends it', async () => {
    const { smartsplit, mistral } = await setUp()
    const response = await fetch(`${smartsplit.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        stream,
        tools: [
          { name: 'Bash', input_schema: { type: 'object', properties: { command: { type: 'string' } } } },
        ],
        messages: [
          { role: 'user', content: 'Run ls.' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls' } }],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_01', content: 'a.txt b.txt' },
              { type: 'text', text: '<system-reminder>Keep answers short.</system-reminder>' },
            ],
          },
        ],
      }),
    })
    expect(response.status).toBe(200)
    expect(answerText(await response.text())).toContain('Bonjour after the tools.')
    expect(roles(mistral)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user'])
  })
})
