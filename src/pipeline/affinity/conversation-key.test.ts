import { describe, expect, it } from 'vitest'
import type { ChatRequest } from '../../wire/openai/types.js'
import { conversationKey, fingerprintConversation } from './conversation-key.js'

const turn = (messages: ChatRequest['messages']): ChatRequest => ({
  model: 'smartsplit',
  tools: [{ type: 'function', function: { name: 'read_file' } }],
  messages,
})

describe('conversation keys', () => {
  it('recognize a conversation turn after turn by its system prompt, tools and first message', () => {
    const system = { role: 'system' as const, content: 'You are a coding agent.'.repeat(3_000) }
    const first = turn([system, { role: 'user', content: 'Fix the test.' }])
    const later = turn([
      system,
      { role: 'user', content: 'Fix the test.' },
      { role: 'assistant', content: 'Done.' },
      { role: 'user', content: 'Now the docs.' },
    ])
    const other = turn([system, { role: 'user', content: 'Write a parser.' }])
    const key = (request: ChatRequest) => conversationKey(fingerprintConversation(request))
    expect(key(later)).toBe(key(first))
    expect(key(other)).not.toBe(key(first))
  })

  it('are short, reveal nothing of the identity, and never mix two sources', () => {
    const id = 'user_0123456789abcdef_account_alice@example.com_session_42'
    const key = conversationKey({ id, source: 'metadata.user_id' })
    expect(key).toMatch(/^metadata\.user_id:[A-Za-z0-9_-]{22}$/)
    expect(key).not.toContain('alice')
    expect(conversationKey({ id: 'same', source: 'user' })).not.toBe(
      conversationKey({ id: 'same', source: 'header' }),
    )
  })
})
