import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeGemini, startFakeGemini } from '../fakes/fake-gemini.js'
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import { CLIENT_FIXTURES as FIXTURES, loadClientFixture as loadFixture } from '../support/client-fixtures.js'
import { mistralChatRequestFields } from '../support/mistral-spec.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'
import { UNLIMITED } from '../support/unlimited.js'

// The requests the real coding-agent CLIs sent (test/fixtures/clients/), replayed to the two strictest
// upstreams SmartSplit translates for: Gemini (its own wire; the fake validates as the real API does:
// schemas, roles, thought signatures) and Mistral (OpenAI-compatible, but 422 on an unknown field and
// 400 on a user turn right after a tool result). Every client's tool turn must reach each of them.

let gemini: FakeGemini
let mistral: FakeOpenAI
const smartsplits = new Map<string, RunningSmartSplit>()

beforeAll(async () => {
  gemini = await startFakeGemini({ apiKey: 'gemini-fake-key-0001' })
  mistral = await startFakeOpenAI({
    apiKey: 'mistral-fake-key-0002',
    allowedFields: mistralChatRequestFields(),
    mistralRoleOrder: true,
    behavior: { kind: 'text', text: 'Done.' },
  })
  smartsplits.set(
    'gemini',
    await startSmartSplit({
      free_llm_priority: ['gemini'],
      providers: {
        gemini: { base_url: `${gemini.url}/v1beta`, api_key: 'gemini-fake-key-0001', limits: UNLIMITED },
      },
    }),
  )
  smartsplits.set(
    'mistral',
    await startSmartSplit({
      free_llm_priority: ['mistral'],
      providers: { mistral: { base_url: mistral.url, api_key: 'mistral-fake-key-0002', limits: UNLIMITED } },
    }),
  )
})
afterAll(async () => {
  for (const smartsplit of smartsplits.values()) await smartsplit.close()
  await gemini.close()
  await mistral.close()
})

const upstreamCalls = (wire: string): number =>
  wire === 'gemini' ? gemini.requests.length : mistral.requests.length

describe.each(['gemini', 'mistral'])('requests the real CLIs sent, to %s', (wire) => {
  it.each(FIXTURES.flatMap((name) => [false, true].map((stream) => [name, stream] as const)))(
    '%s (stream: %s) is served',
    async (name, stream) => {
      const fixture = loadFixture(name)
      const smartsplit = smartsplits.get(wire)!
      const before = upstreamCalls(wire)
      const response = await fetch(`${smartsplit.url}${fixture.path}`, {
        method: fixture.method,
        headers: { ...fixture.headers, authorization: 'Bearer smartsplit', 'x-api-key': 'smartsplit' },
        body: JSON.stringify({ ...fixture.body, stream }),
      })
      const text = await response.text()
      expect(response.status, text.slice(0, 600)).toBe(200)
      expect(upstreamCalls(wire)).toBeGreaterThan(before)
    },
  )
})
