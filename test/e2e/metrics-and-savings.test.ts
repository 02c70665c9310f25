import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import parsePrometheusTextFormat from 'parse-prometheus-text-format'
import { afterEach, describe, expect, it } from 'vitest'
import { printStats } from '../../src/cli/stats.js'
import { ManualClock } from '../../src/lib/clock.js'
import { startFakeOpenAI } from '../fakes/fake-openai.js'
import { ask } from '../support/ask.js'
import { startSmartSplit } from '../support/start-smartsplit.js'

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

// The fake reports usage 12 prompt + 7 completion tokens for every answer.
const REFERENCE = { reference_model: 'gpt-4o', input_per_million: 2.5, output_per_million: 10 }
const SAVED_PER_REQUEST = (12 * 2.5 + 7 * 10) / 1_000_000

// Noon UTC: one day of savings whatever the hour the suite runs at.
const clock = new ManualClock(Date.parse('2026-11-25T12:00:00Z'))

async function setup(dataDir?: string, oneModel = false) {
  const fake = await startFakeOpenAI({ apiKey: 'gsk_test_key_0001', behavior: { kind: 'text', text: 'ok' } })
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: ['groq'],
      planner: 'local',
      providers: {
        groq: {
          base_url: fake.url,
          api_key: 'gsk_test_key_0001',
          // Every call on one model, so each call's tokens land in the same row.
          ...(oneModel ? { model: 'one-model', fast_model: 'one-model', strong_model: 'one-model' } : {}),
        },
      },
      savings: REFERENCE,
      ...(dataDir === undefined ? {} : { data_dir: dataDir }),
    },
    { clock },
  )
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

  it.each([false, true])(
    'counts each call of a split request once, alike in stats, /metrics and /savings (stream: %s)',
    async (stream) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'split-usage-'))
      const { fake, smartsplit, client } = await setup(dataDir, true)
      const content =
        "Write a Python function that parses CSV files. Then explain why the bat-and-ball puzzle answer is 5 cents. Finally translate 'good morning' into Spanish."
      const { headers } = await ask(client, { messages: [{ role: 'user', content }] }, stream)
      expect(headers.get('x-smartsplit-subtasks')?.split(', ')).toHaveLength(3)
      const calls = fake.requests.length
      const metrics = (await (await fetch(`${smartsplit.url}/metrics`)).json()) as {
        savings: { tokens_saved: number }
      }
      const savings = (await (await fetch(`${smartsplit.url}/savings`)).json()) as {
        total: { free_tokens_in: number; free_tokens_out: number }
      }
      await smartsplit.close()
      let printed = ''
      await printStats(
        { dataDir },
        { sources: { env: {}, cwd: dataDir, homeDir: dataDir }, out: (text) => (printed += text), clock },
      )
      // The fake reports 12 prompt and 7 completion tokens for every call: 3 parts and a synthesis.
      expect(calls).toBe(4)
      expect(savings.total).toEqual({
        ...savings.total,
        free_tokens_in: 12 * calls,
        free_tokens_out: 7 * calls,
      })
      expect(metrics.savings.tokens_saved).toBe(19 * calls)
      // Today's usage table: the one groq model, then the total.
      const total = printed.split('\n').find((line) => line.trim().startsWith('total'))!
      expect(total.trim().split(/\s+/).slice(1)).toEqual([
        String(calls),
        String(12 * calls),
        String(7 * calls),
      ])
    },
  )
})
