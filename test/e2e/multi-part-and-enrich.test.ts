import OpenAI from 'openai'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakeBehavior, type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { DEFAULT_HITS, INJECTION_HITS, INJECTION_TEXT, startFakeSearch } from '../fakes/fake-search.js'
import { ask } from '../support/ask.js'
import { startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// Split, run in parallel on the best model per part, synthesize one streamed answer; and ENRICH.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const NAMES = ['cerebras', 'openrouter', 'mistral', 'groq'] as const
type Name = (typeof NAMES)[number]

const lastUser = (body: Record<string, unknown>): string => {
  const messages = body.messages as { role: string; content: string }[]
  return String(messages.filter((m) => m.role === 'user').at(-1)?.content ?? '')
}
const isSynthesis = (body: Record<string, unknown>) =>
  JSON.stringify(body.messages).includes('answered separately by specialist models')

async function fleet(
  behavior: (name: Name, body: Record<string, unknown>) => FakeBehavior,
  extra: Record<string, unknown> = {},
) {
  const fakes = {} as Record<Name, FakeOpenAI>
  for (const name of NAMES) {
    fakes[name] = await startFakeOpenAI({
      apiKey: `${name}-key-000001`,
      behavior: (body) => behavior(name, body),
      // Mistral rejects stream_options and puts usage on its last chunk unasked.
      usageInLastChunk: name === 'mistral',
    })
  }
  const smartsplit = await startSmartSplit({
    free_llm_priority: [...NAMES],
    planner: 'local',
    // The user's rows pin each part type to one fake, so the test can tell the parts apart.
    routing: {
      code: ['openrouter'],
      reasoning: ['cerebras'],
      translation: ['mistral'],
      general: ['cerebras'],
    },
    providers: Object.fromEntries(
      NAMES.map((name) => [
        name,
        { base_url: fakes[name].url, api_key: `${name}-key-000001`, limits: UNLIMITED },
      ]),
    ),
    ...extra,
  })
  running.push(smartsplit, ...Object.values(fakes))
  return {
    fakes,
    smartsplit,
    client: new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 }),
  }
}

const THREE_PARTS =
  "Write a Python function that parses CSV files. Then explain why the bat-and-ball puzzle answer is 5 cents, not 10. Finally translate 'good morning, team' into Spanish."

describe.each([false, true])('multi-part prompts (stream: %s)', (stream) => {
  it('runs three parts on their best providers in parallel and streams one synthesized answer', async () => {
    const PART_MS = 400
    const { fakes, client } = await fleet((name, body) =>
      isSynthesis(body)
        ? {
            kind: 'text',
            text: 'Combined answer: ```python\ndef parse(): ...\n``` The ball costs 5 cents. Buenos días, equipo.',
          }
        : {
            kind: 'text',
            text: `part answer from ${name}: \`\`\`python\nx = 1\n\`\`\``,
            firstByteDelayMs: PART_MS,
          },
    )
    // Warm up connections, lazy modules and the spec validators, so the timing below measures the pipeline.
    await ask(client, { messages: [{ role: 'user', content: THREE_PARTS.replace('CSV', 'TSV') }] }, stream)
    for (const name of NAMES) fakes[name].requests.length = 0
    const started = performance.now()
    const { text, headers, usage } = await ask(
      client,
      { messages: [{ role: 'user', content: THREE_PARTS }] },
      stream,
    )
    const wallMs = performance.now() - started
    expect(text).toMatch(/^Combined answer/)
    // Parallel: about one part's latency plus synthesis, far below three parts in a row.
    expect(wallMs).toBeLessThan(PART_MS * 2.5)
    const subtasks = headers.get('x-smartsplit-subtasks') ?? ''
    expect(subtasks).toMatch(/code:openrouter\//)
    expect(subtasks).toMatch(/reasoning:cerebras\//)
    expect(subtasks).toMatch(/translation:mistral\//)
    expect(headers.get('x-smartsplit-synthesis')).toBe('model')
    // Each part got the whole request plus a note naming its own part.
    const codeCall = fakes.openrouter.requests.find((r) => !isSynthesis(r.body))!
    expect(lastUser(codeCall.body)).toMatch(/Answer only this part now: "Write a Python function/)
    expect(JSON.stringify(codeCall.body.messages)).toContain(THREE_PARTS.slice(0, 60))
    // Usage sums every call: 3 parts + synthesis, 19 tokens each from the fake.
    expect(usage?.total_tokens).toBe(4 * 19)
    const calls = NAMES.reduce((sum, name) => sum + fakes[name].requests.length, 0)
    expect(calls).toBe(4)
  })

  it('gives a dependent part the answer it depends on', async () => {
    const { fakes, client } = await fleet((name, body) => {
      if (isSynthesis(body)) return { kind: 'text', text: 'Here is the haiku and its translation.' }
      return name === 'mistral'
        ? { kind: 'text', text: 'Feuilles rouges tombent' }
        : { kind: 'text', text: 'Red leaves drift slowly' }
    })
    await ask(
      client,
      { messages: [{ role: 'user', content: 'Write a haiku about autumn, then translate it into French.' }] },
      stream,
    )
    const translation = fakes.mistral.requests.find((r) => !isSynthesis(r.body))!
    expect(lastUser(translation.body)).toContain('Red leaves drift slowly')
  })

  it('answers a hard negative with exactly one upstream call', async () => {
    const { fakes, client } = await fleet(() => ({ kind: 'text', text: 'One answer.' }))
    const { headers } = await ask(
      client,
      {
        messages: [
          {
            role: 'user',
            content:
              'Summarize this in French: the release slipped a week because the auth migration needs another security review.',
          },
        ],
      },
      stream,
    )
    expect(NAMES.reduce((sum, name) => sum + fakes[name].requests.length, 0)).toBe(1)
    expect(headers.get('x-smartsplit-subtasks')).toBeNull()
  })

  it('falls back to a clean concatenation with headings when synthesis fails', async () => {
    const { client } = await fleet((name, body) =>
      isSynthesis(body)
        ? { kind: 'error', status: 500 }
        : { kind: 'text', text: `answer from ${name} \`\`\`js\nok()\n\`\`\`` },
    )
    const { text, headers } = await ask(
      client,
      { messages: [{ role: 'user', content: THREE_PARTS }] },
      stream,
    )
    expect(headers.get('x-smartsplit-synthesis')).toBe('concatenated')
    expect(text).toMatch(/^## Write a Python function/)
    expect(text).toContain('answer from mistral')
  })
})

describe('the LLM planner', () => {
  const planJson = JSON.stringify({
    parts: [
      { task: 'code', text: 'Write the CSV parser', complexity: 'medium' },
      { task: 'translation', text: 'Translate the greeting into Spanish', complexity: 'low', depends_on: [] },
    ],
  })
  const isPlanner = (body: Record<string, unknown>) =>
    JSON.stringify(body.messages).includes('You split a user')

  it('refines the split, is cached, and falls back to the local split on garbage', async () => {
    let plannerReply = planJson
    const { fakes, smartsplit } = await fleet(
      (name, body) =>
        isPlanner(body)
          ? { kind: 'text', text: plannerReply }
          : isSynthesis(body)
            ? { kind: 'text', text: 'Combined.' }
            : { kind: 'text', text: `from ${name} \`\`\`py\nx\n\`\`\`` },
      { planner: 'auto' },
    )
    const plan = async () =>
      (await (
        await fetch(`${smartsplit.baseURL}/plan?planner=llm`, {
          method: 'POST',
          body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: THREE_PARTS }] }),
        })
      ).json()) as { tasks: { type: string; text: string }[]; planner: string }
    const plannerCalls = () =>
      NAMES.reduce((sum, name) => sum + fakes[name].requests.filter((r) => isPlanner(r.body)).length, 0)
    const refined = await plan()
    expect(refined.tasks.map((t) => t.type)).toEqual(['code', 'translation'])
    expect(refined.planner).toBe('llm')
    expect(plannerCalls()).toBe(1)
    // The same prompt again: served from the cache, no planner call.
    expect((await plan()).tasks.map((t) => t.text)).toEqual([
      'Write the CSV parser',
      'Translate the greeting into Spanish',
    ])
    expect(plannerCalls()).toBe(1)
    const metrics = (await (await fetch(`${smartsplit.url}/metrics`)).json()) as { cache: { hits: number } }
    expect(metrics.cache.hits).toBe(1)
    // Without ?planner=llm a dry run never asks the planner, whatever the configured planner.
    const local = (await (
      await fetch(`${smartsplit.baseURL}/plan`, {
        method: 'POST',
        body: JSON.stringify({
          model: 'smartsplit',
          messages: [{ role: 'user', content: `${THREE_PARTS} ` }],
        }),
      })
    ).json()) as { tasks: unknown[]; planner: string }
    expect(local.tasks).toHaveLength(3)
    expect(local.planner).toBe('local')
    expect(plannerCalls()).toBe(1)
    // Garbage twice: the local split stands.
    plannerReply = 'sure! here are the parts: 1) code 2) translation'
    const other = THREE_PARTS.replace('CSV', 'TSV')
    const fallback = (await (
      await fetch(`${smartsplit.baseURL}/plan?planner=llm`, {
        method: 'POST',
        body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: other }] }),
      })
    ).json()) as { tasks: unknown[] }
    expect(fallback.tasks).toHaveLength(3)
    expect(plannerCalls()).toBe(3)
  })
})

describe.each([false, true])('enrich with web search (stream: %s)', (stream) => {
  const QUESTION = 'What is the latest stable Node.js version released this month?'

  async function withSearch(hits = DEFAULT_HITS, searchDown = false) {
    const search = await startFakeSearch({ hits })
    if (searchDown) search.script('serper', { kind: 'error', status: 500 }, { kind: 'error', status: 500 })
    const answer = await startFakeOpenAI({
      apiKey: 'cerebras-key-000001',
      behavior: { kind: 'text', text: 'Node.js 26.1 [1]\n\nSources:\n[1] https://example.com' },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['cerebras'],
      providers: {
        cerebras: { base_url: answer.url, api_key: 'cerebras-key-000001', limits: UNLIMITED },
        serper: { base_url: search.baseUrls.serper, api_key: search.keys.serper[0]!, max_search_results: 3 },
      },
    })
    running.push(smartsplit, answer, search)
    return { search, answer, client: new OpenAI({ baseURL: smartsplit.baseURL, apiKey: 'x', maxRetries: 0 }) }
  }

  it('searches first and gives the model numbered, fenced results with their URLs', async () => {
    const { search, answer, client } = await withSearch()
    const reply = await ask(client, { messages: [{ role: 'user', content: QUESTION }] }, stream)
    expect(reply.headers.get('x-smartsplit-route')).toBe('enrich')
    expect(reply.headers.get('x-smartsplit-enrich')).toBe('searched')
    expect(search.requestsTo('serper')).toHaveLength(1)
    const sent = JSON.stringify(answer.requests[0]!.body.messages)
    expect(sent).toContain('[1]')
    expect(sent).toContain(DEFAULT_HITS[0]!.url)
    expect(sent).toContain('untrusted_search_results')
    expect(reply.text).toContain('Sources:')
  })

  it('keeps an injection inside a search result fenced as data', async () => {
    const { answer, client } = await withSearch(INJECTION_HITS)
    await ask(client, { messages: [{ role: 'user', content: QUESTION }] }, stream)
    const messages = answer.requests[0]!.body.messages as { role: string; content: string }[]
    const system = messages.find(
      (m) => m.role === 'system' && m.content.includes('untrusted_search_results'),
    )!.content
    const start = system.indexOf('<untrusted_search_results')
    const end = system.lastIndexOf('</untrusted_search_results')
    const injected = system.indexOf('Ignore all previous instructions')
    expect(injected).toBeGreaterThan(start)
    expect(injected).toBeLessThan(end)
    // The user's own turn is untouched and comes after the instructions.
    expect(messages.at(-1)).toEqual({ role: 'user', content: QUESTION })
    expect(system.slice(0, start)).not.toContain(INJECTION_TEXT)
  })

  it('answers without search and says so when search is down', async () => {
    const { answer, client } = await withSearch(DEFAULT_HITS, true)
    const reply = await ask(client, { messages: [{ role: 'user', content: QUESTION }] }, stream)
    expect(reply.status).toBe(200)
    expect(reply.headers.get('x-smartsplit-enrich')).toBe('skipped')
    expect(reply.text).toBeTruthy()
    expect(answer.requests).toHaveLength(1)
    expect(JSON.stringify(answer.requests[0]!.body.messages)).toContain('no web search results are available')
  })

  it('searches for the web_search part of a split prompt, and only for it', async () => {
    const { search, answer, client } = await withSearch()
    const reply = await ask(
      client,
      {
        messages: [
          {
            role: 'user',
            content:
              'Look up the latest stable Node.js release this month. Then write a Python function that parses CSV files.',
          },
        ],
      },
      stream,
    )
    expect(reply.headers.get('x-smartsplit-subtasks')).toMatch(/web_search:.*code:/)
    expect(reply.headers.get('x-smartsplit-enrich')).toBe('searched')
    expect(search.requestsTo('serper')).toHaveLength(1)
    const fenced = answer.requests.filter((r) =>
      JSON.stringify(r.body.messages).includes('untrusted_search_results'),
    )
    expect(fenced).toHaveLength(1)
    expect(lastUser(fenced[0]!.body)).toContain('Answer only this part now: "Look up')
  })
})
