import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../errors.js'
import { parseAnthropicRequest } from './parse-anthropic-request.js'

const valid = { model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }

function rejection(body: unknown): InvalidRequestError {
  try {
    parseAnthropicRequest(body)
  } catch (error) {
    if (error instanceof InvalidRequestError) return error
    throw error
  }
  throw new Error('expected the body to be rejected')
}

describe('parseAnthropicRequest', () => {
  it('accepts a real Claude Code body with cache_control, thinking, server tools and extra fields', async () => {
    const body = JSON.parse(
      await readFile(new URL('./__fixtures__/claude-code.anthropic.json', import.meta.url), 'utf8'),
    )
    const parsed = parseAnthropicRequest(body)
    expect(parsed.model).toBe('claude-sonnet-4-5-20250929')
    expect(parsed.context_management).toEqual({ edits: [] })
    expect(Array.isArray(parsed.system) && parsed.system[0]?.cache_control).toEqual({ type: 'ephemeral' })
    // The server_tool_use block is dropped: no upstream but Anthropic could run it.
    const assistant = parsed.messages[1]?.content
    expect(Array.isArray(assistant) && assistant.map((block) => block.type)).toEqual([
      'thinking',
      'text',
      'tool_use',
      'tool_use',
    ])
  })

  it('accepts the SDK minimum and string tool_result content', () => {
    expect(parseAnthropicRequest(valid)).toEqual(valid)
    const withResult = {
      ...valid,
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't', content: 'ok', is_error: false }],
        },
      ],
    }
    expect(parseAnthropicRequest(withResult).messages).toHaveLength(3)
  })

  it('names the offending field', () => {
    expect(rejection({ ...valid, max_tokens: undefined }).param).toBe('max_tokens')
    expect(rejection({ ...valid, messages: [{ role: 'user', content: 5 }] }).param).toBe('messages.0.content')
    expect(rejection({ ...valid, messages: [{ role: 'user', content: [{ type: 'text' }] }] }).param).toBe(
      'messages.0.content.0.text',
    )
    expect(
      rejection({
        ...valid,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', data: 'x' } }] }],
      }).param,
    ).toBe('messages.0.content.0.source.media_type')
    expect(rejection({ ...valid, temperature: 1.5 }).param).toBe('temperature')
    expect(rejection({ ...valid, tool_choice: { type: 'sometimes' } }).param).toBe('tool_choice.type')
  })

  it('accepts a system turn mid-conversation (Claude Opus 4.8) and rejects roles Anthropic has not', () => {
    const midConversation = [
      { role: 'user', content: 'hi' },
      { role: 'system', content: [{ type: 'text', text: 'be brief' }] },
    ]
    expect(parseAnthropicRequest({ ...valid, messages: midConversation }).messages[1]?.role).toBe('system')
    const error = rejection({ ...valid, messages: [{ role: 'tool', content: 'be nice' }] })
    expect(error.param).toBe('messages.0.role')
    expect(error.message).toContain('"user", "assistant" or "system"')
    expect(error.status).toBe(400)
  })

  it('rejects bodies that are not objects, and empty message lists', () => {
    expect(rejection([]).param).toBeNull()
    expect(rejection({ ...valid, messages: [] }).param).toBe('messages')
  })
})
