import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeAnthropic } from '../fakes/fake-anthropic.js'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 15 item 18: details a client of each dialect notices. Anthropic-format replies carried OpenAI's
// `chatcmpl-…` ids (Anthropic's are `msg_…`); an assistant message with tool calls had content "" where
// OpenAI sends null; /metrics counted only since the start without saying so.

const KEY = 'gsk_fake_dialect_details_key_1'

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close()
})

async function setup(behavior: FakeBehavior, dataDir?: string) {
  const fake = await startFakeOpenAI({ apiKey: KEY, behavior })
  running.push(fake)
  const smartsplit = await startSmartSplit({
    free_llm_priority: ['groq'],
    providers: { groq: { base_url: fake.url, api_key: KEY } },
    ...(dataDir === undefined ? {} : { data_dir: dataDir }),
  })
  return { fake, smartsplit }
}

const user = [{ role: 'user' as const, content: 'What is the weather in Paris?' }]

describe('Anthropic-format replies', () => {
  it('carry msg_ ids, streamed and not', async () => {
    const { smartsplit } = await setup({ kind: 'text', text: 'Sunny.' })
    running.push(smartsplit)
    const client = new Anthropic({ baseURL: smartsplit.url, apiKey: 'x', maxRetries: 0 })
    const message = await client.messages.create({ model: 'claude', max_tokens: 50, messages: user })
    expect(message.id).toMatch(/^msg_[A-Za-z0-9]+$/)
    const streamed = await client.messages
      .stream({ model: 'claude', max_tokens: 50, messages: user })
      .finalMessage()
    expect(streamed.id).toMatch(/^msg_[A-Za-z0-9]+$/)
  })
})

describe('an assistant message with tool calls', () => {
  it('has content null, as OpenAI sends it, whatever dialect the upstream speaks', async () => {
    // Anthropic's message_start becomes a role chunk with content "": the collected message kept it.
    const fake = await startFakeAnthropic({ apiKey: 'sk-ant-details-0001' })
    fake.respondWith({
      kind: 'tool_use',
      calls: [{ id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }],
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: [],
      providers: { anthropic: { enabled: true, base_url: fake.url, api_key: 'sk-ant-details-0001' } },
    })
    running.push(fake, smartsplit)
    const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    const completion = await client.chat.completions.create({
      model: 'smartsplit',
      messages: user,
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
        },
      ],
    })
    const message = completion.choices[0]!.message
    expect(message.tool_calls).toHaveLength(1)
    expect(message.content).toBeNull()
  })

  it('has content null from an OpenAI-compatible upstream too', async () => {
    const { smartsplit } = await setup({
      kind: 'tool_calls',
      calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
    })
    running.push(smartsplit)
    const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
    const completion = await client.chat.completions.create({
      model: 'smartsplit',
      messages: user,
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
        },
      ],
    })
    const message = completion.choices[0]!.message
    expect(message.tool_calls).toHaveLength(1)
    expect(message.content).toBeNull()
  })
})

describe('/metrics', () => {
  it('says its counts are since the start, and adds all-time totals from the store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'smartsplit-all-time-'))
    const first = await setup({ kind: 'text', text: 'ok' }, dataDir)
    const ask = (smartsplit: RunningSmartSplit) =>
      new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 }).chat.completions.create({
        model: 'smartsplit',
        messages: user,
      })
    await ask(first.smartsplit)
    await ask(first.smartsplit)
    await first.smartsplit.close()

    const second = await setup({ kind: 'text', text: 'ok' }, dataDir)
    running.push(second.smartsplit)
    await ask(second.smartsplit)
    const metrics = (await (await fetch(`${second.smartsplit.url}/metrics`)).json()) as {
      counts_since: string
      requests: { total: number }
      all_time: {
        since: string | null
        requests: number
        errors: number
        tokens_saved: number
        cost_saved_usd: number
      }
    }
    expect(Date.parse(metrics.counts_since)).toBeGreaterThan(Date.now() - 60_000)
    expect(metrics.requests.total).toBe(1)
    expect(metrics.all_time).toMatchObject({ requests: 3, errors: 0, tokens_saved: 3 * 19 })
    expect(metrics.all_time.cost_saved_usd).toBeGreaterThan(0)
    expect(Date.parse(metrics.all_time.since!)).toBeLessThanOrEqual(Date.parse(metrics.counts_since))

    const text = await (await fetch(`${second.smartsplit.url}/metrics?format=prometheus`)).text()
    expect(text).toMatch(/# HELP smartsplit_requests_total .*since SmartSplit started/)
    expect(text).toMatch(/smartsplit_all_time_requests 3\b/)
  })
})
