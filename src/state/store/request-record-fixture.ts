import type { RequestRecord } from './types.js'

/** Tests only: one served request as the stores receive it, at noon UTC on 2026-11-25 unless overridden. */
export function requestRecordFixture(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    requestId: null,
    endpoint: '/v1/chat/completions',
    timeMs: Date.parse('2026-11-25T12:00:00Z'),
    route: 'respond',
    mode: 'balanced',
    tasks: ['code'],
    providersTried: ['groq/m=ok'],
    attempts: [{ provider: 'groq', model: 'm', keyIndex: 0, outcome: 'ok', latencyMs: 120 }],
    provider: 'groq',
    model: 'm',
    tokensIn: 100,
    tokensOut: 50,
    tokensEstimated: false,
    latencyMs: 120,
    firstTokenMs: 40,
    outcome: 'ok',
    costUsd: 0,
    savedUsd: 0.00075,
    prompt: null,
    status: null,
    client: null,
    ...overrides,
  }
}
