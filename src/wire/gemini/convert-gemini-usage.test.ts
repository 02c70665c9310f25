import { describe, expect, it } from 'vitest'
import { convertGeminiUsage } from './convert-gemini-usage.js'

describe('convertGeminiUsage', () => {
  it('counts thinking as completion and as reasoning tokens (7 + 149 + 48 = 204)', () => {
    expect(
      convertGeminiUsage({
        promptTokenCount: 7,
        candidatesTokenCount: 149,
        thoughtsTokenCount: 48,
        totalTokenCount: 204,
      }),
    ).toEqual({
      prompt_tokens: 7,
      completion_tokens: 197,
      total_tokens: 204,
      completion_tokens_details: { reasoning_tokens: 48 },
    })
  })

  it('reports cached prompt tokens and copes with a prompt-only early chunk', () => {
    expect(
      convertGeminiUsage({ promptTokenCount: 100, cachedContentTokenCount: 80, totalTokenCount: 100 }),
    ).toEqual({
      prompt_tokens: 100,
      completion_tokens: 0,
      total_tokens: 100,
      prompt_tokens_details: { cached_tokens: 80 },
    })
  })

  it('counts a figure that is not a whole number of tokens as missing', () => {
    expect(
      convertGeminiUsage({
        promptTokenCount: 1e300,
        candidatesTokenCount: -7,
        thoughtsTokenCount: 2.5,
        cachedContentTokenCount: Number.NaN,
        totalTokenCount: 1e300,
      }),
    ).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    })
  })
})
