import { describe, expect, it } from 'vitest'
import type { ChatRequest } from '../../wire/openai/types.js'
import { fingerprintConversation } from './conversation-key.js'
import { mayFollowPin } from './may-follow-pin.js'

const request = (messages: ChatRequest['messages']): ChatRequest => ({ model: 'smartsplit', messages })
const system = { role: 'system' as const, content: 'You are a coding agent.' }
const ask = { role: 'user' as const, content: 'Fix the test.' }
const firstTurn = request([system, ask])
const answered = request([
  system,
  ask,
  { role: 'assistant', content: 'Done.' },
  { role: 'user', content: 'Docs.' },
])
const toolResult = request([
  system,
  ask,
  {
    role: 'assistant',
    content: null,
    tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read', arguments: '{}' } }],
  },
  { role: 'tool', tool_call_id: 'c1', content: 'file' },
])

describe('whether a request can follow a pin', () => {
  it('not on the first turn of a conversation recognized by its fingerprint: nothing was answered in it', () => {
    expect(mayFollowPin(firstTurn, fingerprintConversation(firstTurn))).toBe(false)
    expect(
      mayFollowPin(
        request([ask, { role: 'user', content: 'And the docs.' }]),
        fingerprintConversation(firstTurn),
      ),
    ).toBe(false)
  })

  it('on every later turn, an answer or a tool result in it', () => {
    expect(mayFollowPin(answered, fingerprintConversation(answered))).toBe(true)
    expect(mayFollowPin(toolResult, fingerprintConversation(toolResult))).toBe(true)
  })

  it('always for a conversation the client names: its history may be kept elsewhere', () => {
    for (const source of [
      'header',
      'user',
      'prompt_cache_key',
      'previous_response_id',
      'conversation',
    ] as const)
      expect(mayFollowPin(firstTurn, { id: 'conv-1', source })).toBe(true)
  })
})
