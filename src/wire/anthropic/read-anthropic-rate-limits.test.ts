import { describe, expect, it } from 'vitest'
import { readAnthropicRateLimits } from './read-anthropic-rate-limits.js'

const NOW = Date.parse('2025-08-21T12:40:00Z')

describe('readAnthropicRateLimits', () => {
  it('reads request and token windows with RFC 3339 resets', () => {
    expect(
      readAnthropicRateLimits(
        {
          'anthropic-ratelimit-requests-limit': '50',
          'anthropic-ratelimit-requests-remaining': '49',
          'anthropic-ratelimit-requests-reset': '2025-08-21T12:40:01Z',
          'anthropic-ratelimit-tokens-limit': '50000',
          'anthropic-ratelimit-tokens-remaining': '42000',
          'anthropic-ratelimit-tokens-reset': '2025-08-21T12:40:59.500Z',
          'anthropic-ratelimit-input-tokens-limit': '40000',
        },
        NOW,
      ),
    ).toEqual({
      requestsLimit: 50,
      requestsRemaining: 49,
      requestsResetMs: 1000,
      tokensLimit: 50000,
      tokensRemaining: 42000,
      tokensResetMs: 59_500,
      requestsWindow: 'minute',
      tokensWindow: 'minute',
    })
  })

  it('falls back to the input-token window and reports nothing it was not told', () => {
    const reading = readAnthropicRateLimits(
      {
        'Anthropic-Ratelimit-Input-Tokens-Limit': '40000',
        'anthropic-ratelimit-input-tokens-remaining': ['100', '200'],
        'anthropic-ratelimit-input-tokens-reset': '2025-08-21T12:39:00Z',
      },
      NOW,
    )
    expect(reading).toMatchObject({
      tokensLimit: 40000,
      tokensRemaining: 100,
      tokensResetMs: 0,
      tokensWindow: 'minute',
    })
    expect(reading).toMatchObject({
      requestsLimit: null,
      requestsRemaining: null,
      requestsResetMs: null,
      requestsWindow: null,
    })
  })

  it('ignores unreadable values', () => {
    const reading = readAnthropicRateLimits(
      { 'anthropic-ratelimit-requests-limit': 'lots', 'anthropic-ratelimit-requests-reset': 'soon' },
      NOW,
    )
    expect(reading.requestsLimit).toBeNull()
    expect(reading.requestsResetMs).toBeNull()
  })
})
