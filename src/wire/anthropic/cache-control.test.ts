import { describe, expect, it } from 'vitest'
import { fromAnthropicRequest } from './from-anthropic-request.js'
import { parseAnthropicRequest } from './parse-anthropic-request.js'
import { toAnthropicRequest } from './to-anthropic-request.js'
import type { AnthropicContentBlock, AnthropicMessageParam } from './types.js'

// Claude Code marks the end of its system prompt, its tools and its latest turns with cache_control: an
// Anthropic upstream only reuses its cache when the breakpoints reach it where the client put them.

const EPHEMERAL = { type: 'ephemeral' }
const HOUR = { type: 'ephemeral', ttl: '1h' }

const claudeCodeTurn = {
  model: 'claude-sonnet-4-5',
  max_tokens: 32000,
  system: [
    { type: 'text', text: 'You are Claude Code.' },
    { type: 'text', text: 'Work in /repo.', cache_control: HOUR },
  ],
  tools: [
    { name: 'Read', input_schema: { type: 'object', properties: { path: { type: 'string' } } } },
    { name: 'Bash', input_schema: { type: 'object' }, cache_control: EPHEMERAL },
  ],
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'Fix the test.', cache_control: EPHEMERAL }] },
    {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Reading it.' },
        { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a.ts' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'export {}', cache_control: EPHEMERAL },
        { type: 'text', text: 'Go on.' },
      ],
    },
  ],
}

function blocksOf(message: AnthropicMessageParam | undefined): AnthropicContentBlock[] {
  if (message === undefined || typeof message.content === 'string') return []
  return message.content
}

describe('cache_control through the canonical request', () => {
  const chat = fromAnthropicRequest(parseAnthropicRequest(claudeCodeTurn))

  it('keeps each breakpoint on the message or tool it ends', () => {
    expect(chat.messages[0]).toMatchObject({ role: 'system', cache_control: HOUR })
    expect(chat.messages[1]).toMatchObject({ role: 'user', cache_control: EPHEMERAL })
    expect(chat.messages[2]).not.toHaveProperty('cache_control')
    expect(chat.messages[3]).toMatchObject({ role: 'tool', cache_control: EPHEMERAL })
    expect(chat.messages[4]).toEqual({ role: 'user', content: 'Go on.' })
    expect(chat.tools?.[0]).not.toHaveProperty('cache_control')
    expect(chat.tools?.[1]).toMatchObject({ cache_control: EPHEMERAL })
  })

  it('puts them back where Claude Code had them for an Anthropic upstream', () => {
    const upstream = toAnthropicRequest(chat, { model: 'claude-haiku-4-5', defaultMaxTokens: 8192 })
    expect(upstream.system).toEqual([
      { type: 'text', text: 'You are Claude Code.\n\nWork in /repo.', cache_control: HOUR },
    ])
    expect(upstream.tools?.map((tool) => tool.cache_control)).toEqual([undefined, EPHEMERAL])
    expect(blocksOf(upstream.messages[0])).toEqual([
      { type: 'text', text: 'Fix the test.', cache_control: EPHEMERAL },
    ])
    const lastTurn = blocksOf(upstream.messages[2])
    expect(lastTurn[0]).toMatchObject({ type: 'tool_result', cache_control: EPHEMERAL })
    expect(lastTurn[1]).toEqual({ type: 'text', text: 'Go on.' })
  })

  it('sends a plain string system prompt when nothing in it is marked', () => {
    const plain = fromAnthropicRequest(
      parseAnthropicRequest({ ...claudeCodeTurn, system: 'Be brief.', tools: undefined }),
    )
    const upstream = toAnthropicRequest(plain, { model: 'claude-haiku-4-5', defaultMaxTokens: 8192 })
    expect(upstream.system).toBe('Be brief.')
  })

  it('reads an OpenRouter-style breakpoint on a text part', () => {
    const upstream = toAnthropicRequest(
      {
        model: 'smartsplit',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Long document…', cache_control: EPHEMERAL }] },
        ],
      },
      { model: 'claude-haiku-4-5', defaultMaxTokens: 8192 },
    )
    expect(blocksOf(upstream.messages[0])).toEqual([
      { type: 'text', text: 'Long document…', cache_control: EPHEMERAL },
    ])
  })
})
