import { describe, expect, it } from 'vitest'
import { expectGolden, fixtureUrl, readFixture } from './__fixtures__/expect-golden.js'
import { parseGeminiError } from './parse-gemini-error.js'

// Each recorded body with the status it came with.
const CASES: [file: string, status: number][] = [
  ['error-429-per-minute', 429],
  ['error-429-per-day', 429],
  ['error-429-openai-endpoint', 429],
  ['error-400-invalid-argument', 400],
  ['error-400-api-key-invalid', 400],
  ['error-400-context-length', 400],
  ['error-400-location', 400],
  ['error-403-permission-denied', 403],
  ['error-404-sse-endpoint', 404],
  ['error-503-unavailable', 503],
  ['error-502-html', 502],
]

describe('parseGeminiError', () => {
  it('classifies every recorded error body like the golden table', () => {
    const table = Object.fromEntries(
      CASES.map(([file, status]) => {
        const error = parseGeminiError(status, {}, readFixture(`${file}.body.txt`))
        const { kind, quotaKind, retryAfterMs, retryable, upstreamStatus, message } = error
        return [file, { kind, quotaKind, retryAfterMs, retryable, upstreamStatus, message }]
      }),
    )
    expectGolden(fixtureUrl('errors.expected.json'), table)
  })

  it('reads a fractional RetryInfo delay and a per-day quota', () => {
    const perMinute = parseGeminiError(429, {}, readFixture('error-429-per-minute.body.txt'))
    expect(perMinute).toMatchObject({ kind: 'rate_limit', quotaKind: 'minute', retryAfterMs: 45_838 })
    const perDay = parseGeminiError(429, {}, readFixture('error-429-per-day.body.txt'))
    expect(perDay).toMatchObject({ kind: 'quota', quotaKind: 'day', retryAfterMs: 13_000 })
  })

  it('treats a bad key and an unsupported region as account problems, not request problems', () => {
    expect(parseGeminiError(400, {}, readFixture('error-400-api-key-invalid.body.txt'))).toMatchObject({
      kind: 'auth',
      retryable: true,
    })
    expect(parseGeminiError(400, {}, readFixture('error-400-location.body.txt'))).toMatchObject({
      kind: 'auth',
    })
    expect(parseGeminiError(400, {}, readFixture('error-400-invalid-argument.body.txt'))).toMatchObject({
      kind: 'bad_request',
      retryable: false,
    })
  })

  it('falls back to a Retry-After header when the body has no hint', () => {
    expect(parseGeminiError(429, { 'retry-after': '7' }, 'Too Many Requests')).toMatchObject({
      kind: 'rate_limit',
      retryAfterMs: 7000,
    })
  })
})
