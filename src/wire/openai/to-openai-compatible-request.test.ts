import { describe, expect, it } from 'vitest'
import type { ProviderQuirks } from '../provider-quirks.js'
import { toOpenAICompatibleRequest } from './to-openai-compatible-request.js'
import type { ChatRequest } from './types.js'

function call(request: ChatRequest, quirks: ProviderQuirks = {}) {
  return { model: 'm', request, quirks }
}

const EPHEMERAL = { type: 'ephemeral' }
const marked: ChatRequest = {
  model: 'smartsplit',
  prompt_cache_key: 'session-1',
  messages: [
    { role: 'system', content: 'You are Claude Code.', cache_control: EPHEMERAL },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b', cache_control: EPHEMERAL },
      ],
      cache_control: EPHEMERAL,
    },
  ],
  tools: [{ type: 'function', function: { name: 'Read' }, cache_control: EPHEMERAL }],
}

describe('toOpenAICompatibleRequest and the prompt cache', () => {
  it('drops the cache_control markers and nothing else: content keeps its exact shape', () => {
    const body = toOpenAICompatibleRequest(call(marked))
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are Claude Code.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ])
    expect(body.tools).toEqual([{ type: 'function', function: { name: 'Read' } }])
  })

  it('forwards prompt_cache_key only to a provider that accepts it', () => {
    expect(toOpenAICompatibleRequest(call(marked))).not.toHaveProperty('prompt_cache_key')
    expect(toOpenAICompatibleRequest(call(marked, { acceptsPromptCacheKey: true })).prompt_cache_key).toBe(
      'session-1',
    )
  })

  it('leaves an unmarked request’s messages untouched (same array)', () => {
    const plain: ChatRequest = { model: 'x', messages: [{ role: 'user', content: 'hi' }] }
    expect(toOpenAICompatibleRequest(call(plain)).messages).toBe(plain.messages)
  })
})
