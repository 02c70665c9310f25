import { describe, expect, it } from 'vitest'
import { responsesConversation } from './responses-conversation.js'
import type { ResponsesRequest } from './types.js'

const request = (fields: Record<string, unknown>): ResponsesRequest =>
  ({ model: 'smartsplit', input: 'hi', ...fields }) as ResponsesRequest

describe('responsesConversation', () => {
  it('takes the first identity present: prompt_cache_key, user, previous_response_id, conversation', () => {
    expect(responsesConversation(request({ prompt_cache_key: 'codex-1', user: 'u' }))).toEqual({
      id: 'codex-1',
      source: 'prompt_cache_key',
    })
    expect(responsesConversation(request({ user: 'u', previous_response_id: 'resp_1' }))).toEqual({
      id: 'u',
      source: 'user',
    })
    expect(responsesConversation(request({ previous_response_id: 'resp_1' }))).toEqual({
      id: 'resp_1',
      source: 'previous_response_id',
    })
    expect(responsesConversation(request({ conversation: { id: 'conv_9' } }))).toEqual({
      id: 'conv_9',
      source: 'conversation',
    })
    expect(responsesConversation(request({ conversation: 'conv_8' }))).toEqual({
      id: 'conv_8',
      source: 'conversation',
    })
  })

  it('names no conversation from blank or missing fields', () => {
    expect(responsesConversation(request({ prompt_cache_key: '  ', conversation: null }))).toBeNull()
  })
})
