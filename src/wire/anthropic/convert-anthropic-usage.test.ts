import { describe, expect, it } from 'vitest'
import { convertAnthropicUsage } from './convert-anthropic-usage.js'
import { toAnthropicUsage } from './to-anthropic-usage.js'

describe('convertAnthropicUsage', () => {
  it('counts cache reads and writes inside prompt_tokens', () => {
    expect(
      convertAnthropicUsage({
        input_tokens: 10,
        output_tokens: 5,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
      }),
    ).toEqual({
      prompt_tokens: 130,
      completion_tokens: 5,
      total_tokens: 135,
      prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 20 },
    })
  })

  it('treats missing figures as zero', () => {
    expect(convertAnthropicUsage({ output_tokens: 3, cache_read_input_tokens: null })).toMatchObject({
      prompt_tokens: 0,
      total_tokens: 3,
    })
  })

  it('counts a figure that is not a whole number of tokens as missing', () => {
    expect(
      convertAnthropicUsage({ input_tokens: 1e300, output_tokens: -7, cache_read_input_tokens: 2.5 }),
    ).toEqual({
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      prompt_tokens_details: { cached_tokens: 0 },
    })
  })

  it('is undone by toAnthropicUsage for cache reads and writes', () => {
    const figures = {
      input_tokens: 10,
      output_tokens: 5,
      cache_read_input_tokens: 100,
      cache_creation_input_tokens: 40,
    }
    expect(toAnthropicUsage(convertAnthropicUsage(figures))).toEqual(figures)
  })
})
