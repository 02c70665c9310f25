import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Requests of different kinds reach the provider the user's routing rows name, with headers saying why.
// Routing by the evidence priors (no rows written) is tested in routing-evidence.test.ts.

describe('smart routing end to end', () => {
  const names = ['cerebras', 'openrouter', 'mistral', 'groq'] as const
  const fakes = {} as Record<(typeof names)[number], FakeOpenAI>
  let smartsplit: RunningSmartSplit
  let client: OpenAI

  beforeAll(async () => {
    for (const name of names)
      fakes[name] = await startFakeOpenAI({
        apiKey: `${name}-key-000001`,
        behavior: { kind: 'text', text: `answer from ${name}\n\n\`\`\`js\nrun()\n\`\`\`` },
      })
    smartsplit = await startSmartSplit({
      free_llm_priority: [...names],
      routing: { code: ['openrouter', 'cerebras'], translation: ['mistral', 'groq'], general: ['cerebras'] },
      providers: Object.fromEntries(
        names.map((name) => [name, { base_url: fakes[name].url, api_key: `${name}-key-000001` }]),
      ),
    })
    client = new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 })
  })
  afterAll(async () => {
    await smartsplit.close()
    for (const fake of Object.values(fakes)) await fake.close()
  })

  async function ask(content: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}) {
    const { data, response } = await client.chat.completions
      .create({ model: 'smartsplit', messages: [{ role: 'user', content }], ...extra })
      .withResponse()
    return { text: data.choices[0]?.message.content, headers: response.headers }
  }

  it('sends code to OpenRouter, translation to Mistral, general work to Cerebras', async () => {
    const code = await ask(
      'Fix this Python function, it raises KeyError:\n```python\ndef get(d, k):\n    return d[k]\n```',
    )
    expect(code.text).toMatch(/^answer from openrouter/)
    expect(code.headers.get('x-smartsplit-task')).toBe('code')
    const translation = await ask('Translate into German: "The meeting is moved to Thursday."')
    expect(translation.text).toMatch(/^answer from mistral/)
    expect(translation.headers.get('x-smartsplit-task')).toBe('translation')
    const general = await ask('Write a short poem about autumn leaves.')
    expect(general.text).toMatch(/^answer from cerebras/)
    for (const headers of [code.headers, translation.headers, general.headers]) {
      expect(headers.get('x-smartsplit-mode')).toBe('balanced')
      expect(headers.get('x-smartsplit-route')).toBe('respond')
      expect(headers.get('x-smartsplit-complexity')).toMatch(/^(low|medium|high)$/)
      expect(headers.get('x-smartsplit-provider')).toBeTruthy()
    }
  })

  it('routes an agentic request whole, with its tools, to a tool-capable model', async () => {
    const before = Object.fromEntries(names.map((n) => [n, fakes[n].requests.length]))
    const result = await client.chat.completions.create({
      model: 'smartsplit',
      messages: [
        {
          role: 'system',
          content: 'You are Cline, a highly skilled software engineer. Use the tools to edit files.',
        },
        {
          role: 'user',
          content:
            'The test in src/parser.test.ts fails with TypeError: cannot read properties of undefined. Fix it.',
        },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'write_to_file',
            parameters: { type: 'object', properties: { path: { type: 'string' } } },
          },
        },
      ],
    })
    expect(result.choices[0]?.message.content).toMatch(/^answer from openrouter/)
    const calls = names.map((n) => fakes[n].requests.length - before[n]!)
    expect(calls.reduce((a, b) => a + b, 0)).toBe(1)
    expect(fakes.openrouter.requests.at(-1)!.body.tools).toHaveLength(1)
  })

  it('honours smartsplit-<mode> model ids', async () => {
    const { headers } = await ask('Say hi', { model: 'smartsplit-quality' })
    expect(headers.get('x-smartsplit-mode')).toBe('quality')
  })

  it('explains a multi-part plan on POST /v1/plan without calling any model', async () => {
    const before = names.map((n) => fakes[n].requests.length)
    // The configured planner is "auto" (the default), which would refine this split with a model call:
    // a dry run still calls nothing unless asked with ?planner=llm.
    const response = await fetch(`${smartsplit.baseURL}/plan`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'smartsplit',
        messages: [
          {
            role: 'user',
            content:
              'Write a Python function that parses CSV files, then translate its docstring into Spanish.',
          },
        ],
      }),
    })
    expect(response.status).toBe(200)
    const plan = (await response.json()) as {
      route: string
      mode: string
      agentic: boolean
      tasks: { type: string; providers: string[] }[]
      reasons: string[]
      planner: string
    }
    expect(plan).toMatchObject({ route: 'respond', mode: 'balanced', agentic: false, planner: 'local' })
    expect(plan.tasks.map((t) => t.type)).toEqual(['code', 'translation'])
    expect(plan.tasks[1]!.providers[0]).toMatch(/^mistral\//)
    expect(names.map((n) => fakes[n].requests.length)).toEqual(before)
    const web = (await (
      await fetch(`${smartsplit.baseURL}/plan`, {
        method: 'POST',
        body: JSON.stringify({
          model: 'smartsplit',
          messages: [
            { role: 'user', content: 'What is the latest stable Node.js version released this month?' },
          ],
        }),
      })
    ).json()) as { route: string; tasks: { type: string }[] }
    expect(web.route).toBe('enrich')
    expect(web.tasks[0]!.type).toBe('web_search')
    expect(names.map((n) => fakes[n].requests.length)).toEqual(before)
    const unknown = await fetch(`${smartsplit.baseURL}/plan?planner=gpt`, {
      method: 'POST',
      body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
    })
    expect(unknown.status).toBe(400)
    expect(((await unknown.json()) as { error: { param: string } }).error.param).toBe('planner')
  })
})
