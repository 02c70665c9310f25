import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../../src/lib/clock.js'
import { CATALOG } from '../../src/providers/catalog.js'
import { type FakeBehavior, type FakeOpenAI, startFakeOpenAI } from '../fakes/fake-openai.js'
import {
  anthropicConversation,
  type ConversationDriver,
  chatConversation,
  type Identity,
  responsesConversation,
  type TurnResult,
} from '../support/agent-conversation.js'
import { type RunningSmartSplit, startSmartSplit } from '../support/start-smartsplit.js'

// Issue 17 §4: a 30-turn coding-agent conversation (tools, tool results, a growing history) stays on one
// provider and key with four healthy providers; when the pinned provider answers 429 at turn 10 the
// conversation moves once, says `moved (rate_limited)`, and stays on the new target for the rest, even
// after the old one has recovered. Once per identity source, streamed and not.

const running: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const item of running.splice(0)) await item.close()
})

const PROVIDERS = ['groq', 'cerebras', 'sambanova', 'mistral'] as const
const TURNS = 30
const RATE_LIMITED_TURN = 9 // the tenth turn

/** The agent's model: a tool call for a user's ask, text once the tool's result is in. */
function agentModel(body: Record<string, unknown>): FakeBehavior {
  const messages = body.messages as { role: string }[]
  if (messages.at(-1)?.role === 'tool') return { kind: 'text', text: 'The module exports one constant.' }
  return {
    kind: 'tool_calls',
    calls: [{ id: `call_${messages.length}`, name: 'read_file', arguments: '{"path":"src/a.ts"}' }],
  }
}

interface Setup {
  smartsplit: RunningSmartSplit
  fakes: Map<string, FakeOpenAI>
  clock: ManualClock
}

async function setUp(): Promise<Setup> {
  const fakes = new Map<string, FakeOpenAI>()
  for (const name of PROVIDERS) {
    const fake = await startFakeOpenAI({ apiKey: `${name}-key`, behavior: agentModel })
    fakes.set(name, fake)
    running.push(fake)
  }
  const clock = new ManualClock()
  const generous = { rpm: 1_000, rpd: 100_000, tpm: 10_000_000, tpd: 100_000_000 }
  const smartsplit = await startSmartSplit(
    {
      free_llm_priority: [...PROVIDERS],
      providers: Object.fromEntries(
        PROVIDERS.map((name) => [
          name,
          { base_url: fakes.get(name)!.url, api_key: `${name}-key`, limits: generous },
        ]),
      ),
    },
    { clock },
  )
  running.push(smartsplit)
  return { smartsplit, fakes, clock }
}

type Dialect = 'chat' | 'anthropic' | 'responses'

const SOURCES: { source: string; dialect: Dialect; identity: Identity }[] = [
  { source: 'x-session-id header', dialect: 'chat', identity: { headers: { 'x-session-id': 'sess-1' } } },
  {
    source: 'x-smartsplit-session header',
    dialect: 'anthropic',
    identity: { headers: { 'x-smartsplit-session': 'sess-2' } },
  },
  { source: 'prompt_cache_key', dialect: 'chat', identity: { body: { prompt_cache_key: 'conv-3' } } },
  { source: 'user', dialect: 'chat', identity: { body: { user: 'dev-4' } } },
  {
    source: 'metadata.user_id',
    dialect: 'anthropic',
    identity: { body: { metadata: { user_id: 'user_ab_account_cd_session_5' } } },
  },
  {
    source: 'Responses prompt_cache_key (Codex)',
    dialect: 'responses',
    identity: { body: { prompt_cache_key: '019a-codex-6' } },
  },
  { source: 'system prompt, tools and first message', dialect: 'chat', identity: {} },
]

function driverFor(dialect: Dialect, smartsplit: RunningSmartSplit, identity: Identity): ConversationDriver {
  if (dialect === 'anthropic') return anthropicConversation(smartsplit.url, identity)
  if (dialect === 'responses') return responsesConversation(smartsplit.baseURL, identity)
  return chatConversation(smartsplit.baseURL, identity)
}

/** The provider whose fake received a request's key: the key a turn really went out with. */
function keysSeen(fakes: Map<string, FakeOpenAI>): string[] {
  return [...fakes.entries()].flatMap(([name, fake]) =>
    fake.requests.map((request) => `${name}:${String(request.headers.authorization)}`),
  )
}

describe.each([false, true])('conversation affinity (stream: %s)', (stream) => {
  it.each(SOURCES)(
    'keeps a 30-turn agent conversation on one target, identified by $source',
    async ({ dialect, identity }) => {
      const { smartsplit, fakes } = await setUp()
      const conversation = driverFor(dialect, smartsplit, identity)
      const turns: TurnResult[] = []
      for (let turn = 0; turn < TURNS; turn++) turns.push(await conversation.turn(turn, stream))

      const pinned = turns[0]!.provider!
      expect(turns.map((t) => t.provider)).toEqual(Array(TURNS).fill(pinned))
      expect(turns.map((t) => t.affinity)).toEqual(['new', ...Array(TURNS - 1).fill('kept')])
      // Tool calls and results alternate, as an agent's turns do.
      expect(turns.filter((t) => t.toolCall !== null)).toHaveLength(TURNS / 2)
      // Every call went out with the same key to the same provider.
      expect(new Set(keysSeen(fakes))).toEqual(new Set([`${pinned}:Bearer ${pinned}-key`]))
      expect(fakes.get(pinned)!.requests).toHaveLength(TURNS)
      // Nothing per request is added to the prompt: each turn's upstream messages begin with exactly
      // the previous turn's, so the provider's prefix cache can serve them.
      const sent = fakes.get(pinned)!.requests.map((request) => request.body.messages as unknown[])
      expect((sent[0]![0] as { role: string }).role).toBe('system')
      for (let turn = 1; turn < TURNS; turn++)
        expect(sent[turn]!.slice(0, sent[turn - 1]!.length)).toEqual(sent[turn - 1])
    },
  )

  it.each(SOURCES)(
    'moves once when the pinned provider is rate-limited, and stays ($source)',
    async ({ dialect, identity }) => {
      const { smartsplit, fakes, clock } = await setUp()
      const conversation = driverFor(dialect, smartsplit, identity)
      const turns: TurnResult[] = []
      for (let turn = 0; turn < TURNS; turn++) {
        if (turn === RATE_LIMITED_TURN) {
          fakes.get(turns[0]!.provider!)!.queue.push({
            kind: 'error',
            status: 429,
            headers: { 'retry-after': '60' },
            body: { error: { message: 'Rate limit reached', type: 'tokens', code: 'rate_limit_exceeded' } },
          })
        }
        // Long after the first target recovered, the conversation still stays where it moved.
        if (turn === 20) clock.advance(5 * 60_000)
        turns.push(await conversation.turn(turn, stream))
      }

      const first = turns[0]!.provider!
      const second = turns[RATE_LIMITED_TURN]!.provider!
      expect(second).not.toBe(first)
      expect(turns.map((t) => t.provider)).toEqual([
        ...Array(RATE_LIMITED_TURN).fill(first),
        ...Array(TURNS - RATE_LIMITED_TURN).fill(second),
      ])
      expect(turns.map((t) => t.affinity)).toEqual([
        'new',
        ...Array(RATE_LIMITED_TURN - 1).fill('kept'),
        'moved (rate_limited)',
        ...Array(TURNS - RATE_LIMITED_TURN - 1).fill('kept'),
      ])
      // The first provider saw its nine turns and the one it refused; the second all the rest.
      expect(fakes.get(first)!.requests).toHaveLength(RATE_LIMITED_TURN + 1)
      expect(fakes.get(second)!.requests).toHaveLength(TURNS - RATE_LIMITED_TURN)

      const metrics = (await (await fetch(`${smartsplit.url}/metrics`)).json()) as {
        affinity: { new: number; kept: number; moved: number; moved_by_reason: Record<string, number> }
      }
      expect(metrics.affinity).toEqual({
        new: 1,
        kept: TURNS - 2,
        moved: 1,
        moved_by_reason: { rate_limited: 1 },
      })
      const prometheus = await (await fetch(`${smartsplit.url}/metrics?format=prometheus`)).text()
      expect(prometheus).toContain('smartsplit_affinity_total{decision="moved",reason="rate_limited"} 1')
    },
  )
})

describe('affinity and background calls', () => {
  it.each([false, true])(
    'sends a title request to a fast model without moving the pin (stream: %s)',
    async (stream) => {
      const { smartsplit, fakes } = await setUp()
      const identity = { headers: { 'x-session-id': 'sess-bg' } }
      const conversation = chatConversation(smartsplit.baseURL, identity)
      const first = await conversation.turn(0, stream)
      const title = await fetch(`${smartsplit.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...identity.headers },
        body: JSON.stringify({
          model: 'smartsplit',
          stream,
          messages: [
            { role: 'system', content: 'Generate a concise, 3-5 word title for this conversation.' },
            { role: 'user', content: 'Step 0: read src/module-0.ts and explain it.' },
          ],
        }),
      })
      await title.text()
      expect(title.status).toBe(200)
      // Housekeeping is not the conversation's work: no affinity, and the pin is untouched.
      expect(title.headers.get('x-smartsplit-affinity')).toBeNull()
      const titleProvider = title.headers.get('x-smartsplit-provider')!
      expect(fakes.has(titleProvider)).toBe(true)
      expect(title.headers.get('x-smartsplit-model')).toBe(CATALOG[titleProvider]!.fastModel)
      const next = await conversation.turn(1, stream)
      expect(next.provider).toBe(first.provider)
      expect(next.affinity).toBe('kept')
    },
  )
})
