import { describe, expect, it } from 'vitest'
import { normalizeOpenAIUsage } from './normalize-openai-usage.js'

describe('normalizeOpenAIUsage', () => {
  it('keeps OpenAI-compatible cached_tokens (Groq, OpenAI, Mistral) as they are', () => {
    const usage = {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920 },
    }
    expect(normalizeOpenAIUsage(usage)).toEqual(usage)
  })

  it("reads DeepSeek's cache hits as cached_tokens", () => {
    expect(
      normalizeOpenAIUsage({
        prompt_tokens: 1200,
        completion_tokens: 10,
        total_tokens: 1210,
        prompt_cache_hit_tokens: 1024,
        prompt_cache_miss_tokens: 176,
      }),
    ).toMatchObject({ prompt_tokens: 1200, prompt_tokens_details: { cached_tokens: 1024 } })
  })

  it('drops a usage whose counts are not counts, so the state layer estimates instead', () => {
    expect(normalizeOpenAIUsage({ prompt_tokens: '12', completion_tokens: 3 })).toBeNull()
    expect(normalizeOpenAIUsage({ prompt_tokens: -1, completion_tokens: 3 })).toBeNull()
    expect(normalizeOpenAIUsage({ prompt_tokens: 2.5, completion_tokens: 3 })).toBeNull()
    expect(normalizeOpenAIUsage({ prompt_tokens: 1e300, completion_tokens: 3 })).toBeNull()
    expect(
      normalizeOpenAIUsage({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8.5 })?.total_tokens,
    ).toBe(8)
    expect(
      normalizeOpenAIUsage({
        prompt_tokens: 5,
        completion_tokens: 3,
        prompt_tokens_details: { cached_tokens: 'lots' },
      })?.prompt_tokens_details?.cached_tokens,
    ).toBe(0)
  })
})
