import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { describe, expect, it } from 'vitest'
import { Metrics } from './metrics.js'
import type { RequestFinished } from './types.js'

type Attempt = RequestFinished['attempts'][number]

const attempt = (provider: string, outcome: string, tokensIn = 10, tokensCached = 0): Attempt => ({
  provider,
  model: 'm',
  keyIndex: 0,
  outcome,
  latencyMs: 5,
  tokensIn,
  tokensOut: 3,
  tokensCached,
})

function finished(overrides: Partial<RequestFinished>): RequestFinished {
  return {
    requestId: null,
    timeMs: 0,
    path: '/v1/chat/completions',
    route: 'respond',
    mode: 'balanced',
    tasks: ['code'],
    provider: 'groq',
    model: 'm',
    isPaid: false,
    attempts: [attempt('groq', 'ok')],
    tokensIn: 10,
    tokensOut: 3,
    tokensCached: 0,
    tokensEstimated: false,
    latencyMs: 20,
    firstTokenMs: 10,
    overheadMs: 0.2,
    outcome: 'ok',
    affinity: null,
    qualityPassed: true,
    prompt: null,
    ...overrides,
  }
}

/** The sum of one Prometheus family's samples whose labels include `where`. */
function promSum(text: string, name: string, where: Record<string, string> = {}): number {
  const family = parsePrometheusTextFormat(text).find((f) => f.name === name)
  if (family === undefined) return 0
  return family.metrics
    .filter((sample) => Object.entries(where).every(([k, v]) => sample.labels?.[k] === v))
    .reduce((total, sample) => total + Number(sample.value), 0)
}

describe('Metrics', () => {
  it('reports each figure once: the JSON and the Prometheus text agree', async () => {
    const metrics = new Metrics()
    metrics.record(finished({ affinity: { decision: 'new', reason: null } }), { costUsd: 0, savedUsd: 0.5 })
    metrics.record(
      finished({
        route: 'enrich',
        attempts: [attempt('cerebras', 'rate_limit'), attempt('groq', 'ok', 100, 60)],
        tokensIn: 110,
        affinity: { decision: 'moved', reason: 'rate_limited' },
      }),
      { costUsd: 0, savedUsd: 0.25 },
    )
    metrics.record(
      finished({ provider: null, outcome: 'error', attempts: [attempt('groq', 'server_error')] }),
      {
        costUsd: 0,
        savedUsd: 0,
      },
    )
    const json = metrics.snapshot([])
    const text = await metrics.prometheus()

    expect(json.requests).toEqual({ total: 3, enrich: 1, respond: 2, errors: 1 })
    expect(promSum(text, 'smartsplit_requests_total')).toBe(3)
    expect(promSum(text, 'smartsplit_requests_total', { route: 'enrich' })).toBe(1)
    expect(promSum(text, 'smartsplit_requests_total', { outcome: 'error' })).toBe(1)

    expect(json.providers.groq).toMatchObject({ requests: 3, errors: 1 })
    expect(json.providers.cerebras).toMatchObject({ requests: 1, errors: 1 })
    expect(promSum(text, 'smartsplit_upstream_attempts_total', { provider: 'groq' })).toBe(3)
    expect(promSum(text, 'smartsplit_upstream_attempts_total', { provider: 'cerebras' })).toBe(1)

    expect(json.traffic).toMatchObject({ tokens_in: 120, tokens_out: 6, failovers: 1 })
    expect(promSum(text, 'smartsplit_tokens_total', { direction: 'in' })).toBe(120)
    expect(promSum(text, 'smartsplit_tokens_total', { direction: 'out' })).toBe(6)

    expect(json.prompt_cache.cached_tokens).toBe(60)
    expect(promSum(text, 'smartsplit_cached_prompt_tokens_total', { provider: 'groq' })).toBe(60)

    expect(json.savings.cost_saved_usd).toBe(0.75)
    expect(promSum(text, 'smartsplit_saved_usd_total')).toBe(0.75)

    expect(json.affinity).toEqual({ new: 1, kept: 0, moved: 1, moved_by_reason: { rate_limited: 1 } })
    expect(promSum(text, 'smartsplit_affinity_total', { decision: 'moved', reason: 'rate_limited' })).toBe(1)
  })

  it('scraped twice, reports the same totals (a scrape never adds to a count)', async () => {
    const metrics = new Metrics()
    metrics.record(finished({}), { costUsd: 0, savedUsd: 0.1 })
    const first = await metrics.prometheus()
    const second = await metrics.prometheus()
    expect(promSum(second, 'smartsplit_requests_total')).toBe(1)
    expect(promSum(second, 'smartsplit_saved_usd_total')).toBe(promSum(first, 'smartsplit_saved_usd_total'))
  })
})
