import { describe, expect, it } from 'vitest'
import { classifyUpstreamStatus } from './classify-upstream-status.js'

// What each provider's "the prompt does not fit" looks like, against bodies that only look alike.

describe('classifyUpstreamStatus', () => {
  it.each([
    [
      400,
      "This model's maximum context length is 65536 tokens. However, your messages resulted in 70211 tokens.",
    ],
    [400, 'The input token count (1212029) exceeds the maximum number of tokens allowed (1048576).'],
    [400, 'prompt is too long: 210000 tokens > 200000 maximum'],
    [413, 'Request exceeds the context window of this model'],
    [400, 'Prompt contains 40000 tokens, too large for model with 32768 maximum context length'],
  ])('reads %i "%s" as the prompt not fitting the window', (status, text) => {
    expect(classifyUpstreamStatus(status, text)).toBe('context_length')
  })

  it.each([
    [413, 'Request body exceeds the maximum size'],
    [413, '<html><body><h1>413 Request Entity Too Large</h1></body></html>'],
    [400, 'temperature exceeds the maximum of 2'],
  ])('reads %i "%s" as something other than the window', (status, text) => {
    expect(classifyUpstreamStatus(status, text)).toBe('bad_request')
  })
})
