import { describe, expect, it } from 'vitest'
import { outcomeEffect } from './outcome-effect.js'
import type { AttemptOutcome } from './types.js'

describe('outcomeEffect', () => {
  it.each<[string, AttemptOutcome, ReturnType<typeof outcomeEffect>]>([
    ['success', { outcome: 'ok' }, { kind: 'success' }],
    ['network error', { outcome: 'network' }, { kind: 'breaker_failure' }],
    ['timeout', { outcome: 'timeout' }, { kind: 'breaker_failure' }],
    ['5xx/529', { outcome: 'overloaded', status: 529 }, { kind: 'breaker_failure' }],
    ['malformed answer', { outcome: 'malformed' }, { kind: 'breaker_failure' }],
    [
      '429 with retry-after',
      { outcome: 'rate_limit', retryAfterMs: 7_500 },
      { kind: 'cooldown', durationMs: 7_500 },
    ],
    ['429 without retry-after', { outcome: 'rate_limit' }, { kind: 'cooldown', durationMs: 60_000 }],
    [
      '429 per minute',
      { outcome: 'rate_limit', quotaKind: 'minute', retryAfterMs: null },
      { kind: 'cooldown', durationMs: 60_000 },
    ],
    [
      '429 on a daily quota (Gemini PerDay, retryDelay ignored)',
      { outcome: 'rate_limit', quotaKind: 'day', retryAfterMs: 47_000 },
      { kind: 'quota_until_reset' },
    ],
    ['quota per day', { outcome: 'quota', quotaKind: 'day' }, { kind: 'quota_until_reset' }],
    [
      'quota of unknown kind, no hint',
      { outcome: 'quota', quotaKind: 'unknown' },
      { kind: 'quota_until_reset' },
    ],
    [
      'quota of unknown kind with a wait',
      { outcome: 'quota', quotaKind: 'unknown', retryAfterMs: 30_000 },
      { kind: 'cooldown', durationMs: 30_000 },
    ],
    ['quota per minute', { outcome: 'quota', quotaKind: 'minute' }, { kind: 'cooldown', durationMs: 60_000 }],
    ['401/403', { outcome: 'auth', status: 401 }, { kind: 'disable_key', cause: 'auth' }],
    ['402', { outcome: 'billing', status: 402 }, { kind: 'disable_key', cause: 'billing' }],
    ['bad request', { outcome: 'bad_request', status: 400 }, { kind: 'none' }],
    ['context length', { outcome: 'context_length', status: 400 }, { kind: 'none' }],
    ['not found', { outcome: 'not_found', status: 404 }, { kind: 'none' }],
  ])('%s', (_name, outcome, effect) => {
    expect(outcomeEffect(outcome)).toEqual(effect)
  })
})
