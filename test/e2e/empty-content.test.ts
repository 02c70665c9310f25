import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// A turn with nothing in it (`content: []`, or only blocks no provider accepts) reached the upstream as
// an empty content array or an empty `messages` list; the client got the provider's 400 ("groq answered
// 400: Invalid 'messages': empty array", or a complaint about a missing tool_call_id) after a wasted
// call. The real APIs refuse such a request themselves: SmartSplit now answers the 400 first, naming
// the field, in the endpoint's own dialect, and calls no provider. Replayed history keeps its leniency:
// an empty assistant turn between two user turns is still served, and a tool call replayed without its
// `type` (optional here, required by OpenAI and Groq) is sent on with it.

const KEY = 'gsk_fake_empty_content_key_0001'

let fake: FakeOpenAI
let smartsplit: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY, model: 'gpt-oss-120b', limits: UNLIMITED } },
  })
})
afterAll(async () => {
  await smartsplit.close()
  await fake.close()
})

interface Case {
  label: string
  path: '/v1/chat/completions' | '/v1/messages' | '/v1/responses'
  body: Record<string, unknown>
  /** The field the 400 names. */
  mention: RegExp
}

const user = (content: unknown) => ({ role: 'user', content })
const refused: Case[] = [
  {
    label: 'chat: a user turn with an empty part list',
    path: '/v1/chat/completions',
    body: { model: 'smartsplit', messages: [user([])] },
    mention: /messages\.0\.content/,
  },
  {
    label: 'chat: a tool result with an empty part list',
    path: '/v1/chat/completions',
    body: {
      model: 'smartsplit',
      messages: [
        user('a'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: [] },
      ],
    },
    mention: /messages\.2\.content/,
  },
  {
    label: 'messages: the only user turn is empty',
    path: '/v1/messages',
    body: { model: 'claude-sonnet-4', max_tokens: 50, messages: [user([])] },
    mention: /messages/,
  },
  {
    label: 'messages: a system prompt and an empty user turn',
    path: '/v1/messages',
    body: { model: 'claude-sonnet-4', max_tokens: 50, system: 'Be brief.', messages: [user([])] },
    mention: /messages/,
  },
  {
    label: 'messages: a user turn of block types no provider accepts',
    path: '/v1/messages',
    body: {
      model: 'claude-sonnet-4',
      max_tokens: 50,
      messages: [user([{ type: 'server_tool_use', id: 'x', name: 'web_search', input: {} }])],
    },
    mention: /messages/,
  },
  {
    label: 'responses: a user item with an empty part list',
    path: '/v1/responses',
    body: { model: 'smartsplit', input: [user([])] },
    mention: /input\.0\.content/,
  },
  {
    label: 'responses: instructions and an empty user item',
    path: '/v1/responses',
    body: { model: 'smartsplit', instructions: 'Be brief.', input: [user('a'), user([])] },
    mention: /input\.1\.content/,
  },
]

const served: Case[] = [
  {
    label: 'messages: an empty assistant turn between two user turns',
    path: '/v1/messages',
    body: {
      model: 'claude-sonnet-4',
      max_tokens: 50,
      messages: [user('a'), { role: 'assistant', content: [] }, user('b')],
    },
    mention: /./,
  },
  {
    // The type is optional in what SmartSplit accepts; OpenAI and Groq refuse a tool call without one.
    label: 'chat: a replayed tool call without its type',
    path: '/v1/chat/completions',
    body: {
      model: 'smartsplit',
      messages: [
        user('a'),
        {
          role: 'assistant',
          content: '',
          tool_calls: [{ id: 'c1', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'r' },
      ],
    },
    mention: /./,
  },
  {
    label: 'chat: an empty assistant turn between two user turns',
    path: '/v1/chat/completions',
    body: { model: 'smartsplit', messages: [user('a'), { role: 'assistant', content: '' }, user('b')] },
    mention: /./,
  },
]

async function post(item: Case, stream: boolean) {
  const response = await fetch(`${smartsplit.url}${item.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...item.body, stream }),
  })
  return { status: response.status, text: await response.text() }
}

describe.each([false, true])('a turn with nothing in it (stream: %s)', (stream) => {
  it.each(refused)('$label: a 400 naming the field, and no provider called', async (item) => {
    const before = fake.requests.length
    const answer = await post(item, stream)
    expect(answer.status, answer.text).toBe(400)
    const body = JSON.parse(answer.text) as { type?: string; error: { message: string; type: string } }
    if (item.path === '/v1/messages') expect(body.type, answer.text).toBe('error')
    else expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type'])
    expect(body.error.type).toBe('invalid_request_error')
    expect(body.error.message).toMatch(item.mention)
    expect(body.error.message).not.toMatch(/answered 400/)
    expect(fake.requests.length - before).toBe(0)
  })

  it.each(served)('$label: still served', async (item) => {
    const answer = await post(item, stream)
    expect(answer.status, answer.text).toBe(200)
  })
})
