import OpenAI from 'openai'
import type { ConfigFile } from '../../src/config/schema.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { routeAll } from './route-all.js'
import { type RunningSmartSplit, startSmartSplit } from './start-smartsplit.js'

/** A SmartSplit with two fake providers behind it, for the dashboard's browser tests and screenshot. */
export interface DashboardScene {
  smartsplit: RunningSmartSplit
  /** Ranked first for every task. */
  first: FakeOpenAI
  second: FakeOpenAI
  client: OpenAI
  close(): Promise<void>
}

// An answer the quality gate takes for any of the prompts below (code asked, code given).
const ANSWER = {
  kind: 'text' as const,
  pieces: ['Here it is:\n\n', '```python\ndef reverse(items):\n', '    return items[::-1]\n```\n', 'Done.'],
}

export async function startDashboardScene(config: Partial<ConfigFile> = {}): Promise<DashboardScene> {
  const first = await startFakeOpenAI({
    model: 'llama-3.3-70b',
    apiKey: 'gsk_fake_dashboard_first_key_0001',
    behavior: ANSWER,
  })
  const second = await startFakeOpenAI({
    model: 'gemini-flash',
    apiKey: 'sk-or-v1-fake-dashboard-second-0002',
    behavior: ANSWER,
  })
  const smartsplit = await startSmartSplit({
    providers: {
      groq: { base_url: first.url, api_key: 'gsk_fake_dashboard_first_key_0001', model: 'llama-3.3-70b' },
      openrouter: {
        base_url: second.url,
        api_key: 'sk-or-v1-fake-dashboard-second-0002',
        model: 'gemini-flash',
      },
    },
    routing: routeAll(['groq', 'openrouter']),
    ...config,
  })
  const apiKey = config.server?.api_keys?.[0] ?? 'unused'
  const client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey, maxRetries: 0 })
  return {
    smartsplit,
    first,
    second,
    client,
    async close() {
      await smartsplit.close()
      await first.close()
      await second.close()
    },
  }
}

const PROMPTS = [
  'Write a Python function that reverses a linked list.',
  'Translate "good morning, see you tomorrow" into French.',
  'What is the derivative of x^3 * sin(x)?',
  'Summarize the plot of Hamlet in three sentences.',
]

/** Real traffic: answered requests streamed and not, then one failover after the first provider's 429. */
export async function driveTraffic(scene: DashboardScene, requests = 6): Promise<void> {
  for (let i = 0; i < requests; i++) {
    const content = PROMPTS[i % PROMPTS.length]!
    const stream = i % 2 === 1
    if (stream) {
      const chunks = await scene.client.chat.completions.create({
        model: 'smartsplit',
        messages: [{ role: 'user', content }],
        stream: true,
      })
      for await (const _chunk of chunks) {
        // read to the end
      }
    } else
      await scene.client.chat.completions.create({
        model: 'smartsplit',
        messages: [{ role: 'user', content }],
      })
  }
}

/** The first provider answers 429 with retry-after: SmartSplit fails over and puts it in cooldown. */
export async function rateLimitFirst(scene: DashboardScene): Promise<void> {
  scene.first.queue.push({
    kind: 'error',
    status: 429,
    body: {
      error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' },
    },
    headers: { 'retry-after': '120' },
  })
  await scene.client.chat.completions.create({
    model: 'smartsplit',
    messages: [{ role: 'user', content: 'Explain what a hash map is.' }],
  })
}
