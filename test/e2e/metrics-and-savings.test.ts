import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

// The fake reports usage 12 prompt + 7 completion tokens for every answer.
const REFERENCE = { reference_model: 'gpt-4o', input_per_million: 2.5, output_per_million: 10 }
const SAVED_PER_REQUEST = (12 * 2.5 + 7 * 10) / 1_000_000

async function setup(dataDir?: string) {
  const fake = await startFakeOpenAI({ apiKey: 'gsk_test_key_0001', behavior: { kind: 'text', text: 'ok' } })
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: 'gsk_test_key_0001' } },
    savings: REFERENCE,
    ...(dataDir === undefined ? {} : { data_dir: dataDir }),
  })
  running.push(fake)
  return { fake, smartsplit, client: new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 }) }
}

describe('/metrics and /savings', () => {
  it('reports the seed-shaped JSON with per-provider figures', async () => {
    const { smartsplit, client } = await setup()
    running.push(smartsplit)
    await client.chat.completions.create({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] })
    const stream = await client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    })
    for await (const _ of stream) {
      // drain
    }
    const metrics = (await (await fetch(`${smartsplit.url}/metrics`)).json()) as Record<
      string,
      Record<string, unknown>
    >
    expect(metrics.requests).toEqual({ total: 2, enrich: 0, respond: 2, errors: 0 })
    expect(metrics.savings).toMatchObject({ tokens_saved: 38, cost_usd: 0 })
    expect(metrics.savings!.cost_saved_usd).toBeCloseTo(2 * SAVED_PER_REQUEST, 9)
    expect(metrics.cache).toMatchObject({ hits: 0, hit_rate: 0 })
    expect(metrics.circuit_breaker).toEqual({ unhealthy_providers: [] })
    expect(metrics.providers).toMatchObject({ groq: { requests: 2, errors: 0 } })
    expect(typeof (metrics.overhead_ms as { p50: number }).p50).toBe('number')
  })

  it('serves Prometheus text that a real parser reads', async () => {
    const { smartsplit, client } = await setup()
    running.push(smartsplit)
    await client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'Write a haiku' }],
    })
    const response = await fetch(`${smartsplit.url}/metrics?format=prometheus`)
    expect(response.headers.get('content-type')).toMatch(/text\/plain/)
    const families = parsePrometheusTextFormat(await response.text())
    const byName = new Map(families.map((f) => [f.name, f]))
    expect(byName.get('smartsplit_requests_total')?.metrics[0]).toMatchObject({
      value: '1',
      labels: { provider: 'groq', outcome: 'ok', route: 'respond' },
    })
    expect(byName.get('smartsplit_request_duration_seconds')?.type).toBe('HISTOGRAM')
    expect(byName.get('smartsplit_overhead_seconds')?.metrics[0]?.count).toBe('1')
    const viaAccept = await fetch(`${smartsplit.url}/metrics`, { headers: { accept: 'text/plain' } })
    expect(await viaAccept.text()).toContain('# TYPE smartsplit_requests_total counter')
  })

  it('computes savings per day from the stored request log, and keeps them across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'savings-'))
    const first = await setup(dataDir)
    for (let i = 0; i < 3; i++)
      await first.client.chat.completions.create({
        model: 'smartsplit',
        messages: [{ role: 'user', content: 'hi' }],
      })
    await first.smartsplit.close()
    const second = await setup(dataDir)
    running.push(second.smartsplit)
    await second.client.chat.completions.create({
      model: 'smartsplit',
      messages: [{ role: 'user', content: 'hi' }],
    })
    const savings = (await (await fetch(`${second.smartsplit.url}/savings`)).json()) as {
      total: {
        requests: number
        free_tokens_in: number
        free_tokens_out: number
        saved_usd: number
        cost_usd: number
      }
      days: unknown[]
      formula: string
    }
    expect(savings.total).toMatchObject({ requests: 4, free_tokens_in: 48, free_tokens_out: 28, cost_usd: 0 })
    expect(savings.total.saved_usd).toBeCloseTo(4 * SAVED_PER_REQUEST, 9)
    expect(savings.days).toHaveLength(1)
    expect(savings.formula).toMatch(/input_per_million/)
  })
})
