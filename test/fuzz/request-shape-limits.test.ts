import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// Issue 15 item 16: bodies within the byte limit that hold huge counts (380 000 empty content parts, a
// tool with 200 000 properties, 200 000 metadata keys) blocked the event loop for about a second each.
// Content parts, tools, schema properties and metadata keys are capped (configurable), with a 400 in the
// endpoint's dialect that names the setting, before any validation or routing.

const KEY = 'gsk_fake_shape_limits_key_0001'
const LIMITS = { max_content_parts: 10, max_tools: 3, max_tool_properties: 20, max_metadata_keys: 4 }

let fake: FakeOpenAI
let limited: RunningSmartSplit
let defaults: RunningSmartSplit

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  const providers = { groq: { base_url: fake.url, api_key: KEY, limits: UNLIMITED } }
  limited = await startSmartSplit({ free_llm_priority: ['groq'], providers, server: LIMITS })
  defaults = await startSmartSplit({ free_llm_priority: ['groq'], providers })
})
afterAll(async () => {
  await limited.close()
  await defaults.close()
  await fake.close()
})

async function post(smartsplit: RunningSmartSplit, path: string, body: unknown) {
  const response = await fetch(`${smartsplit.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

const textParts = (count: number) => Array.from({ length: count }, () => ({ type: 'text', text: 'x' }))
const properties = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, { type: 'string' }]))
/** 10 + 11 properties, the second ten nested one level down. */
const nestedSchema = {
  type: 'object',
  properties: { ...properties(10), inner: { type: 'object', properties: properties(11) } },
}
const metadata = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']))

interface Dialect {
  path: string
  body(fields: { parts?: number; tools?: number; schema?: unknown; metadata?: number }): unknown
  message(json: Record<string, unknown>): string
}

const chat: Dialect = {
  path: '/v1/chat/completions',
  body: ({ parts = 1, tools = 0, schema, metadata: keys = 0 }) => ({
    model: 'smartsplit',
    messages: [{ role: 'user', content: textParts(parts) }],
    ...(tools > 0 || schema !== undefined
      ? {
          tools: Array.from({ length: Math.max(tools, 1) }, (_, i) => ({
            type: 'function',
            function: { name: `f${i}`, parameters: schema ?? { type: 'object', properties: {} } },
          })),
        }
      : {}),
    ...(keys > 0 ? { metadata: metadata(keys) } : {}),
  }),
  message: (json) => (json.error as { message: string }).message,
}

const messages: Dialect = {
  path: '/v1/messages',
  body: ({ parts = 1, tools = 0, schema, metadata: keys = 0 }) => ({
    model: 'claude',
    max_tokens: 20,
    messages: [{ role: 'user', content: textParts(parts) }],
    ...(tools > 0 || schema !== undefined
      ? {
          tools: Array.from({ length: Math.max(tools, 1) }, (_, i) => ({
            name: `f${i}`,
            input_schema: schema ?? { type: 'object', properties: {} },
          })),
        }
      : {}),
    ...(keys > 0 ? { metadata: metadata(keys) } : {}),
  }),
  message: (json) => {
    expect(json.type).toBe('error')
    return (json.error as { message: string }).message
  },
}

const responses: Dialect = {
  path: '/v1/responses',
  body: ({ parts = 1, tools = 0, schema, metadata: keys = 0 }) => ({
    model: 'smartsplit',
    input: [
      {
        type: 'message',
        role: 'user',
        content: textParts(parts).map((p) => ({ type: 'input_text', text: p.text })),
      },
    ],
    ...(tools > 0 || schema !== undefined
      ? {
          tools: Array.from({ length: Math.max(tools, 1) }, (_, i) => ({
            type: 'function',
            name: `f${i}`,
            parameters: schema ?? { type: 'object', properties: {} },
          })),
        }
      : {}),
    ...(keys > 0 ? { metadata: metadata(keys) } : {}),
  }),
  message: (json) => (json.error as { message: string }).message,
}

describe.each([
  ['chat completions', chat],
  ['Anthropic messages', messages],
  ['Responses', responses],
])('%s', (_, dialect) => {
  it.each([
    ['content parts', { parts: 11 }, /at most 10 per request \(server\.max_content_parts\)/],
    ['tools', { tools: 4 }, /at most 3 per request \(server\.max_tools\)/],
    ['schema properties, nested ones counted', { schema: nestedSchema }, /server\.max_tool_properties/],
    ['metadata keys', { metadata: 5 }, /at most 4 per request \(server\.max_metadata_keys\)/],
  ])('too many %s: a 400 naming the setting', async (_, fields, message) => {
    const answer = await post(limited, dialect.path, dialect.body(fields))
    expect(answer.status, JSON.stringify(answer.json)).toBe(400)
    expect(dialect.message(answer.json)).toMatch(message)
  })

  it('everything at its limit: served', async () => {
    const atLimit = dialect.body({
      parts: 10,
      tools: 3,
      schema: { type: 'object', properties: properties(6) },
      metadata: 4,
    })
    const answer = await post(limited, dialect.path, atLimit)
    expect(answer.status, JSON.stringify(answer.json).slice(0, 300)).toBe(200)
  })
})

describe('with the default limits', () => {
  it.each([
    [
      '380 000 empty content parts',
      chat.body({ parts: 0 }),
      {
        messages: [
          { role: 'user', content: Array.from({ length: 380_000 }, () => ({ type: 'text', text: '' })) },
        ],
      },
    ],
    [
      'a tool with 200 000 properties',
      chat.body({ schema: { type: 'object', properties: properties(200_000) } }),
      {},
    ],
    ['200 000 metadata keys', chat.body({ metadata: 200_000 }), {}],
  ])('%s: refused', async (_, body, override) => {
    const answer = await post(defaults, '/v1/chat/completions', { ...(body as object), ...override })
    expect(answer.status).toBe(400)
    expect(chat.message(answer.json)).toMatch(/server\.max_(content_parts|tool_properties|metadata_keys)/)
  })
})
