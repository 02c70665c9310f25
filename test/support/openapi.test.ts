import { describe, expect, it } from 'vitest'
import { assertMatchesSchema } from './openapi.js'

// The validator itself must be able to fail, or every schema test built on it proves nothing.
describe('OpenAPI validator', () => {
  it('accepts a valid chunk and rejects a broken one', () => {
    const chunk = {
      id: 'chatcmpl-1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }],
    }
    expect(() => assertMatchesSchema('CreateChatCompletionStreamResponse', chunk)).not.toThrow()
    expect(() =>
      assertMatchesSchema('CreateChatCompletionStreamResponse', { ...chunk, object: 'chat.completion' }),
    ).toThrow()
    expect(() =>
      assertMatchesSchema('CreateChatCompletionStreamResponse', {
        ...chunk,
        choices: [{ index: 0, delta: {} }],
      }),
    ).toThrow()
  })
})
