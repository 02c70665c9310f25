import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/lib/clock.js'
import { EVIDENCE_PRIORS } from '../../src/pipeline/route/evidence-priors.generated.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// With no routing rows written, each request goes to the provider whose tier model the public evidence
// rates best for the task, and /v1/plan says which prior each candidate had and where it came from.

const DAY_MS = 24 * 60 * 60 * 1000
const names = ['cerebras', 'openrouter', 'mistral', 'groq'] as const
const PROMPTS = {
  // boilerplate runs on the fast tier: gpt-oss-120b (Cerebras) leads instruction following. (Cerebras is a
  // trial tier, but this config writes its own free_llm_priority, which ranks it with the free ones.)
  boilerplate: 'Write a .gitignore for a Node.js project.',
  // code at medium complexity runs on the strong tier: Mistral Medium leads gpt-oss-120b by far.
  code: 'Fix this Python function, it raises KeyError:\n```python\ndef get(d, k):\n    return d[k]\n```',
  // a short summary runs on the fast tier: Llama 3.3 70B (OpenRouter) hallucinates least there.
  summarize:
    'Summarize in two sentences: The city council met on Monday and agreed to extend the bike lane on Main Street by two kilometres. Work starts in April and should finish before the summer holidays. Shop owners asked for loading zones, which the council promised to add.',
} as const
const EXPECTED = { boilerplate: 'cerebras', code: 'mistral', summarize: 'openrouter' } as const

interface PlanBody {
  tasks: {
    type: string
    candidates: {
      provider: string
      model: string
      prior: number | null
      prior_from: string
      evidence_model: string | null
      sources: string[]
      as_of: string | null
      stale: boolean
    }[]
  }[]
  reasons: string[]
}

describe('routing by evidence end to end', () => {
  const fakes = {} as Record<(typeof names)[number], FakeOpenAI>
  const mistralCode = EVIDENCE_PRIORS.tasks.code['mistral-medium-2508']!
  const clock = new ManualClock(Date.parse(`${mistralCode.as_of}T00:00:00Z`) + 10 * DAY_MS)
  let smartsplit: RunningSmartSplit
  let client: OpenAI

  beforeAll(async () => {
    for (const name of names)
      fakes[name] = await startFakeOpenAI({
        apiKey: `${name}-key-000001`,
        behavior: { kind: 'text', text: `answer from ${name}\n\n\`\`\`js\nrun()\n\`\`\`` },
      })
    smartsplit = await startSmartSplit(
      {
        free_llm_priority: [...names],
        providers: Object.fromEntries(
          // Unlimited: this test is about quality, not about Cerebras's trial running short after one call.
          names.map((name) => [
            name,
            { base_url: fakes[name].url, api_key: `${name}-key-000001`, limits: UNLIMITED },
          ]),
        ),
      },
      { clock },
    )
    client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
  })
  afterAll(async () => {
    await smartsplit.close()
    for (const fake of Object.values(fakes)) await fake.close()
  })

  for (const stream of [false, true]) {
    it(`sends each task to the provider of the best-rated model (${stream ? 'streamed' : 'JSON'})`, async () => {
      for (const [task, content] of Object.entries(PROMPTS) as [keyof typeof PROMPTS, string][]) {
        const before = fakes[EXPECTED[task]].requests.length
        const { data, response } = await client.chat.completions
          .create({ model: 'smartsplit', messages: [{ role: 'user', content }], stream })
          .withResponse()
        let text = ''
        if (stream) {
          for await (const chunk of data as AsyncIterable<OpenAI.ChatCompletionChunk>)
            text += chunk.choices[0]?.delta.content ?? ''
        } else text = (data as OpenAI.ChatCompletion).choices[0]?.message.content ?? ''
        expect(response.headers.get('x-smartsplit-task')).toBe(task)
        expect(text).toMatch(new RegExp(`^answer from ${EXPECTED[task]}`))
        expect(fakes[EXPECTED[task]].requests.length).toBe(before + 1)
      }
    })
  }

  async function plan(content: string): Promise<PlanBody> {
    const response = await fetch(`${smartsplit.baseURL}/plan?planner=local`, {
      method: 'POST',
      body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content }] }),
    })
    expect(response.status).toBe(200)
    return (await response.json()) as PlanBody
  }

  it('shows each candidate its prior, the model and sources behind it, and flags old evidence', async () => {
    const fresh = await plan(PROMPTS.code)
    const [mistral, ...rest] = fresh.tasks[0]!.candidates
    expect(mistral).toMatchObject({
      provider: 'mistral',
      model: 'mistral-medium-latest',
      prior_from: 'evidence',
      evidence_model: 'mistral-medium-2508',
      prior: mistralCode.prior,
      stale: false,
    })
    expect(mistral!.sources).toContain('lmarena-text/coding')
    const gptOss = rest.filter((c) => c.evidence_model === 'gpt-oss-120b')
    expect(gptOss.map((c) => c.provider).sort()).toEqual(['cerebras', 'groq'])
    expect(gptOss[0]!.prior).toBe(gptOss[1]!.prior)
    expect(rest.find((c) => c.provider === 'openrouter')).toMatchObject({
      prior_from: 'pool',
      evidence_model: null,
    })
    expect(fresh.reasons.join('\n')).not.toMatch(/older than 180 days.*mistral/)

    clock.advance(200 * DAY_MS)
    const old = await plan(PROMPTS.code)
    expect(old.tasks[0]!.candidates[0]).toMatchObject({
      provider: 'mistral',
      stale: true,
      as_of: mistralCode.as_of,
    })
    expect(old.reasons.join('\n')).toMatch(
      /quality priors older than 180 days .*mistral\/mistral-medium-latest/,
    )
  })
})
