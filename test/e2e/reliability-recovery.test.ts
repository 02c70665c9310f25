import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/lib/clock.js'
import { startFakeAnthropic } from '../fakes/fake-anthropic.js'
import { startFakeGemini } from '../fakes/fake-gemini.js'
import { type FakeBehavior, startFakeOpenAI } from '../fakes/fake-openai.js'
import { routeAll } from '../support/route-all.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 6 and 7, the rest of the recovery story end to end: the breaker's open → half-open → closed
// cycle on a ManualClock, refusals escalating (the refusal kept as the last resort), streams that fail
// before and after the client has seen content, and the learner sinking a provider that failed 10/10.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const MINUTE_MS = 60_000

async function post(smartsplit: RunningSmartSplit, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${smartsplit.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }], ...extra }),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, text }
}

function frames(raw: string): string[] {
  return raw.split('\n\n').filter((frame) => frame.startsWith('data: '))
}

function streamedText(raw: string): string {
  return frames(raw)
    .filter((frame) => frame.startsWith('data: {'))
    .map((frame) => {
      const chunk = JSON.parse(frame.slice(6)) as { choices?: { delta?: { content?: string } }[] }
      return chunk.choices?.[0]?.delta?.content ?? ''
    })
    .join('')
}

async function breakerOf(smartsplit: RunningSmartSplit) {
  const body = (await (await fetch(`${smartsplit.url}/health`)).json()) as {
    state: { models: { breaker: { state: string; untilMs: number | null; recentFailures: number } }[] }[]
  }
  return body.state[0]!.models[0]!.breaker
}

describe('circuit breaker, end to end on a ManualClock', () => {
  async function oneProvider(clock: ManualClock) {
    const fake = await startFakeOpenAI({ apiKey: 'csk-only-key-00000000001' })
    const smartsplit = await startSmartSplit(
      { providers: { cerebras: { base_url: fake.url, api_key: 'csk-only-key-00000000001' } } },
      { clock },
    )
    running.push(smartsplit, fake)
    return { fake, smartsplit }
  }
  const failure: FakeBehavior = { kind: 'error', status: 500 }

  it('3 failures in 5 minutes → open 30 minutes → one probe → its success closes it', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
    const { fake, smartsplit } = await oneProvider(clock)
    fake.queue.push(failure, failure, failure)
    for (const step of [0, 2, 2]) {
      clock.advance(step * MINUTE_MS)
      expect((await post(smartsplit)).status).toBe(502)
    }
    const openedAtMs = clock.nowMs()
    expect(await breakerOf(smartsplit)).toEqual({
      state: 'open',
      untilMs: openedAtMs + 30 * MINUTE_MS,
      recentFailures: 0,
    })
    // Open: nothing reaches the provider, and the client is told why.
    clock.advance(30 * MINUTE_MS - 1)
    const refused = await post(smartsplit)
    expect(refused.status).toBe(502)
    expect(refused.text).toMatch(/circuit open after overloaded 500/)
    expect(fake.requests.length).toBe(3)

    clock.advance(1)
    expect((await breakerOf(smartsplit)).state).toBe('half_open')
    // Half-open: exactly one probe goes through while it is in flight.
    // The second request goes out once the probe has reached the provider (not after a guessed delay):
    // the probe is then in flight for sure, held by the fake's slow first byte.
    fake.queue.push({ kind: 'text', text: 'Back up.', firstByteDelayMs: 1_000 })
    const probeReached = async (): Promise<void> => {
      while (fake.requests.length < 4) await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const [probe, meanwhile] = await Promise.all([
      post(smartsplit),
      probeReached().then(() => post(smartsplit)),
    ])
    expect(probe.status).toBe(200)
    expect(probe.text).toContain('Back up.')
    expect(meanwhile.status).toBe(502)
    expect(meanwhile.text).toMatch(/probe/)
    expect(fake.requests.length).toBe(4)
    expect(await breakerOf(smartsplit)).toEqual({ state: 'closed', untilMs: null, recentFailures: 0 })
    expect((await post(smartsplit)).status).toBe(200)
  })

  it('a failed probe opens it again for a full period', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
    const { fake, smartsplit } = await oneProvider(clock)
    fake.queue.push(failure, failure, failure, failure)
    for (let i = 0; i < 3; i++) await post(smartsplit)
    clock.advance(30 * MINUTE_MS)
    expect((await post(smartsplit)).status).toBe(502)
    expect(fake.requests.length).toBe(4)
    expect(await breakerOf(smartsplit)).toMatchObject({
      state: 'open',
      untilMs: clock.nowMs() + 30 * MINUTE_MS,
    })
  })

  it('failures spread wider than 5 minutes never open it', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
    const { fake, smartsplit } = await oneProvider(clock)
    fake.queue.push(failure, failure, failure)
    for (let i = 0; i < 3; i++) {
      await post(smartsplit)
      clock.advance(3 * MINUTE_MS)
    }
    expect((await breakerOf(smartsplit)).state).toBe('closed')
    expect((await post(smartsplit)).status).toBe(200)
  })
})

/** cerebras first, groq second, each with its own answer. */
async function pair(
  first: FakeBehavior,
  second: FakeBehavior,
  clock = new ManualClock(Date.UTC(2026, 0, 14, 12)),
) {
  const a = await startFakeOpenAI({ apiKey: 'csk-first-key-0000000001', behavior: first })
  const b = await startFakeOpenAI({ apiKey: 'gsk_second_key_000000002', behavior: second })
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: ['cerebras', 'groq'],
      routing: routeAll(['cerebras', 'groq']),
      providers: {
        cerebras: { base_url: a.url, api_key: 'csk-first-key-0000000001' },
        groq: { base_url: b.url, api_key: 'gsk_second_key_000000002' },
      },
    },
    { clock },
  )
  running.push(smartsplit, a, b)
  return { a, b, smartsplit }
}

const refusal = "I'm sorry, but I can't help with that request."

describe('quality gates', () => {
  for (const stream of [false, true]) {
    it(`a refusal escalates to the next provider (${stream ? 'streamed' : 'collected'})`, async () => {
      const { a, b, smartsplit } = await pair(
        { kind: 'text', text: refusal },
        { kind: 'text', text: 'Sure, here it is.' },
      )
      const answer = await post(smartsplit, { stream })
      expect(answer.status).toBe(200)
      expect(stream ? streamedText(answer.text) : answer.text).toContain('Sure, here it is.')
      expect(answer.text).not.toContain('sorry')
      expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^cerebras\/\S+=refused, groq\/\S+=ok$/)
      expect([a.requests.length, b.requests.length]).toEqual([1, 1])
    })

    it(`when everything refuses, the first refusal is the answer (${stream ? 'streamed' : 'collected'})`, async () => {
      const { smartsplit } = await pair(
        { kind: 'text', text: refusal },
        { kind: 'text', text: 'I cannot assist with that.' },
      )
      const answer = await post(smartsplit, { stream })
      expect(answer.status).toBe(200)
      expect(stream ? streamedText(answer.text) : answer.text).toContain(refusal.split(',')[0]!)
      expect(answer.headers.get('x-smartsplit-provider')).toBe('cerebras')
      if (stream) expect(answer.text.trim().endsWith('data: [DONE]')).toBe(true)
    })
  }

  async function trio(text: string, extra: Record<string, unknown> = {}) {
    const keys = ['csk-first-key-0000000001', 'gsk_second_key_000000002', 'mistral-third-key-0000003']
    const fakes: Awaited<ReturnType<typeof startFakeOpenAI>>[] = []
    for (const key of keys)
      fakes.push(await startFakeOpenAI({ apiKey: key, behavior: { kind: 'text', text } }))
    const names = ['cerebras', 'groq', 'mistral']
    const smartsplit = await startSmartSplit({
      free_llm_priority: names,
      routing: routeAll(names),
      providers: Object.fromEntries(
        names.map((name, index) => [name, { base_url: fakes[index]!.url, api_key: keys[index]! }]),
      ),
      ...extra,
    })
    running.push(smartsplit, ...fakes)
    const calls = () => fakes.reduce((sum, fake) => sum + fake.requests.length, 0)
    return { smartsplit, calls }
  }
  const prose =
    'For a small single-user desktop app, SQLite is the better choice: no server to run, one file to back up.'
  const ask = (content: string) => ({ messages: [{ role: 'user', content }] })

  for (const stream of [false, true]) {
    it(`a software question answered in prose costs one call (${stream ? 'streamed' : 'collected'})`, async () => {
      const { smartsplit, calls } = await trio(prose)
      const answer = await post(smartsplit, {
        stream,
        ...ask('Compare PostgreSQL and SQLite for a small single-user desktop app and recommend one.'),
      })
      expect(answer.status).toBe(200)
      expect(answer.headers.get('x-smartsplit-task')).toBe('code')
      expect(calls()).toBe(1)
      expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^cerebras\/\S+=ok$/)
    })

    it(`code asked and none given is replaced once, and labelled truthfully (${stream ? 'streamed' : 'collected'})`, async () => {
      const { smartsplit, calls } = await trio(prose)
      const answer = await post(smartsplit, {
        stream,
        ...ask('Write a Python function that reverses a linked list.'),
      })
      expect(answer.status).toBe(200)
      expect(calls()).toBe(2)
      expect(answer.headers.get('x-smartsplit-attempts')).toMatch(
        /^cerebras\/\S+=refused, groq\/\S+=refused$/,
      )
      // The best-ranked answer is the one delivered when no replacement passes.
      expect(answer.headers.get('x-smartsplit-provider')).toBe('cerebras')
      expect(stream ? streamedText(answer.text) : answer.text).toContain('SQLite is the better choice')
    })

    it(`quality_gates.max_escalations: 0 never replaces an answer (${stream ? 'streamed' : 'collected'})`, async () => {
      const { smartsplit, calls } = await trio(refusal, { quality_gates: { max_escalations: 0 } })
      const answer = await post(smartsplit, {
        stream,
        ...ask('Write a Python function that reverses a list.'),
      })
      expect(answer.status).toBe(200)
      expect(calls()).toBe(1)
      expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^cerebras\/\S+=refused$/)
    })
  }

  it('"I do not recommend…" is an answer, not a refusal', async () => {
    const { b, smartsplit } = await pair(
      { kind: 'text', text: 'I do not recommend storing passwords in plain text; hash them.' },
      { kind: 'text', text: 'unused' },
    )
    const answer = await post(smartsplit, { stream: true })
    expect(streamedText(answer.text)).toMatch(/^I do not recommend/)
    expect(b.requests.length).toBe(0)
  })
})

describe('streams', () => {
  it('a Gemini stream reset before anything reached the client falls back invisibly', async () => {
    const gemini = await startFakeGemini({ apiKey: 'gemini-key-00000000000001' })
    gemini.respondWith({ type: 'text', chunks: ['Partial', ' answer', ' lost'], dropAfterEvents: 1 })
    const mistral = await startFakeOpenAI({
      apiKey: 'mistral-key-000000000001',
      behavior: { kind: 'text', text: 'Whole answer from Mistral.' },
    })
    const smartsplit = await startSmartSplit({
      free_llm_priority: ['gemini', 'mistral'],
      routing: routeAll(['gemini', 'mistral']),
      providers: {
        gemini: { base_url: `${gemini.url}/v1beta`, api_key: 'gemini-key-00000000000001' },
        mistral: { base_url: mistral.url, api_key: 'mistral-key-000000000001' },
      },
    })
    running.push(smartsplit, gemini, mistral)
    const answer = await post(smartsplit, { stream: true })
    expect(answer.status).toBe(200)
    expect(streamedText(answer.text)).toBe('Whole answer from Mistral.')
    expect(answer.text).not.toContain('Partial')
    expect(answer.text.trim().endsWith('data: [DONE]')).toBe(true)
    expect(answer.headers.get('x-smartsplit-attempts')).toMatch(/^gemini\/\S+=network, mistral\/\S+=ok$/)
  })

  it('an Anthropic stream that errors after content ends with an error event and no [DONE]', async () => {
    const fake = await startFakeAnthropic()
    // Past the gate's 200-character hold-back: the client has this text when the error arrives.
    const text = 'A long opening that has already been streamed to the client. '.repeat(5)
    fake.script({ kind: 'midstream_error', text })
    const smartsplit = await startSmartSplit({
      providers: {
        anthropic: {
          enabled: true,
          base_url: fake.url,
          api_keys: ['sk-ant-first-00000000001', 'sk-ant-second-0000000002'],
        },
      },
    })
    running.push(smartsplit, fake)
    const answer = await post(smartsplit, { stream: true })
    expect(answer.status).toBe(200)
    expect(streamedText(answer.text)).toBe(text)
    expect(answer.text).not.toContain('[DONE]')
    const last = JSON.parse(frames(answer.text).at(-1)!.slice(6)) as {
      error: { type: string; message: string }
    }
    expect(last.error.type).toBe('upstream_error')
    expect(last.error.message).toMatch(/anthropic/i)
    expect(fake.requests.length).toBe(1)
  })
})

describe('learning', () => {
  async function planOrder(smartsplit: RunningSmartSplit): Promise<string[]> {
    const response = await fetch(`${smartsplit.baseURL}/plan`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smartsplit', messages: [{ role: 'user', content: 'hi' }] }),
    })
    const plan = (await response.json()) as { tasks: { providers: string[] }[] }
    return plan.tasks[0]!.providers.map((name) => name.split('/')[0]!)
  }

  it('a provider that failed 10/10 ranks below an untried one', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
    const { a, b, smartsplit } = await pair(
      { kind: 'error', status: 500 },
      { kind: 'text', text: 'Fresh.' },
      clock,
    )
    // Cerebras leads the table for every task; Groq is last and is never called before the end.
    expect(await planOrder(smartsplit)).toEqual(['cerebras', 'groq'])
    const models = (await (await fetch(`${smartsplit.baseURL}/models`)).json()) as { data: { id: string }[] }
    const model = models.data.find((entry) => entry.id.startsWith('cerebras/'))?.id
    // Pinned to Cerebras ten times, six minutes apart so the breaker never opens.
    for (let i = 0; i < 10; i++) {
      expect((await post(smartsplit, { model })).status).toBe(502)
      clock.advance(6 * MINUTE_MS)
    }
    expect([a.requests.length, b.requests.length]).toEqual([10, 0])
    // Past the breaker's window, so only what was learned separates them.
    expect(await planOrder(smartsplit)).toEqual(['groq', 'cerebras'])
    const after = await post(smartsplit)
    expect(after.headers.get('x-smartsplit-attempts')).toMatch(/^groq\/\S+=ok$/)
    expect([a.requests.length, b.requests.length]).toEqual([10, 1])
  })

  const invalid: FakeBehavior = {
    kind: 'error',
    status: 400,
    body: { error: { message: "'temperature' must be at most 1.5", type: 'invalid_request_error' } },
  }

  it.each([false, true])(
    'a request rejected as invalid by every provider it reached teaches nothing about them (stream: %s)',
    async (stream) => {
      const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
      const { a, b, smartsplit } = await pair(invalid, { kind: 'text', text: 'Fine.' }, clock)
      expect(await planOrder(smartsplit)).toEqual(['cerebras', 'groq'])
      const models = (await (await fetch(`${smartsplit.baseURL}/models`)).json()) as {
        data: { id: string }[]
      }
      const model = models.data.find((entry) => entry.id.startsWith('cerebras/'))?.id
      // Pinned to Cerebras, as the 10/10 failures above: the same count of rejections, the client's fault.
      for (let i = 0; i < 10; i++) {
        expect((await post(smartsplit, { model, stream })).status).toBe(400)
        clock.advance(6 * MINUTE_MS)
      }
      expect([a.requests.length, b.requests.length]).toEqual([10, 0])
      expect(await planOrder(smartsplit)).toEqual(['cerebras', 'groq'])
    },
  )

  it.each([false, true])(
    'a provider that rejects as invalid what another answers ranks below it (stream: %s)',
    async (stream) => {
      const clock = new ManualClock(Date.UTC(2026, 0, 14, 12))
      const { a, b, smartsplit } = await pair(invalid, { kind: 'text', text: 'Fine.' }, clock)
      const first = await post(smartsplit, { stream })
      expect(first.headers.get('x-smartsplit-attempts')).toMatch(/^cerebras\/\S+=bad_request, groq\/\S+=ok$/)
      clock.advance(6 * MINUTE_MS)
      for (let i = 0; i < 9; i++) {
        expect((await post(smartsplit, { stream })).status).toBe(200)
        clock.advance(6 * MINUTE_MS)
      }
      // Learned: later requests go to Groq first, Cerebras no longer costs a call each.
      expect(b.requests.length).toBe(10)
      expect(a.requests.length).toBeLessThan(10)
      expect(await planOrder(smartsplit)).toEqual(['groq', 'cerebras'])
    },
  )
})
