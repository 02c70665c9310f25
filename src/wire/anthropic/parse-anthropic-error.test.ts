import { describe, expect, it } from 'vitest'
import { parseAnthropicError } from './parse-anthropic-error.js'

const NOW = Date.parse('2025-08-21T12:40:00Z')
const body = (type: string, message: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ type: 'error', error: { type, message, ...extra }, request_id: 'req_011' })

describe('parseAnthropicError', () => {
  it('classifies statuses', () => {
    const cases: [number, string, string][] = [
      [529, 'overloaded_error', 'overloaded'],
      [402, 'billing_error', 'billing'],
      [401, 'authentication_error', 'auth'],
      [403, 'permission_error', 'auth'],
      [404, 'not_found_error', 'not_found'],
      [400, 'invalid_request_error', 'bad_request'],
      [500, 'api_error', 'overloaded'],
      [429, 'rate_limit_error', 'rate_limit'],
    ]
    for (const [status, type, kind] of cases) {
      const error = parseAnthropicError(status, {}, body(type, 'x'), NOW)
      expect(error.kind).toBe(kind)
      expect(error.upstreamStatus).toBe(status)
      expect(error.message).toBe(`Anthropic ${status} ${type}: x`)
    }
  })

  it('tells a retired or unknown model (404 "model: …") from any other 404', () => {
    expect(
      parseAnthropicError(404, {}, body('not_found_error', 'model: claude-3-opus-20240229'), NOW).kind,
    ).toBe('model_retired')
    expect(parseAnthropicError(404, {}, body('not_found_error', 'x'), NOW).kind).toBe('not_found')
  })

  it('recognises a too-long prompt and a spent credit balance in a 400', () => {
    expect(
      parseAnthropicError(
        400,
        {},
        body('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'),
        NOW,
      ).kind,
    ).toBe('context_length')
    expect(
      parseAnthropicError(
        400,
        {},
        body('invalid_request_error', 'Your credit balance is too low to access the Anthropic API.'),
        NOW,
      ).kind,
    ).toBe('billing')
  })

  it('prefers retry-after-ms, then retry-after, then the earliest reset header', () => {
    const resets = {
      'anthropic-ratelimit-requests-reset': '2025-08-21T12:40:30Z',
      'anthropic-ratelimit-tokens-reset': '2025-08-21T12:40:12Z',
    }
    const rateLimited = body(
      'rate_limit_error',
      'Number of request tokens has exceeded your per-minute rate limit',
    )
    expect(
      parseAnthropicError(429, { ...resets, 'retry-after-ms': '1500', 'retry-after': '9' }, rateLimited, NOW)
        .retryAfterMs,
    ).toBe(1500)
    expect(parseAnthropicError(429, { ...resets, 'retry-after': '9' }, rateLimited, NOW).retryAfterMs).toBe(
      9000,
    )
    const fromResets = parseAnthropicError(429, resets, rateLimited, NOW)
    expect(fromResets).toMatchObject({ retryAfterMs: 12_000, quotaKind: 'minute', retryable: true })
    expect(parseAnthropicError(429, {}, rateLimited, NOW).retryAfterMs).toBeNull()
    expect(
      parseAnthropicError(529, resets, body('overloaded_error', 'Overloaded'), NOW).retryAfterMs,
    ).toBeNull()
  })

  it('treats a reached spend limit as a quota, not a per-minute limit', () => {
    const error = parseAnthropicError(
      429,
      {},
      body('rate_limit_error', 'spend limit reached', {
        details: { error_code: 'enforced_spend_limit_reached' },
      }),
      NOW,
    )
    expect(error).toMatchObject({ kind: 'quota', quotaKind: 'unknown' })
  })

  it('keeps the start of a non-JSON body and never repeats a key', () => {
    const html = parseAnthropicError(413, {}, '<html><body>413 Request Entity Too Large</body></html>', NOW)
    expect(html.message).toContain('413 Request Entity Too Large')
    expect(html.kind).toBe('bad_request')
    const leaked = parseAnthropicError(
      401,
      {},
      body('authentication_error', 'invalid x-api-key sk-ant-api03-FAKE_SECRET_value-123'),
      NOW,
    )
    expect(leaked.message).not.toContain('SECRET')
    expect(parseAnthropicError(502, {}, '', NOW).message).toBe('Anthropic 502 unknown_error: (empty body)')
  })
})
