import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../config/load-config.js'
import type { ProviderConfig } from '../../config/types.js'
import { EVIDENCE_PRIORS } from './evidence-priors.generated.js'
import { rankCandidates } from './rank-candidates.js'
import { buildRoutingTable, type RoutingTable } from './routing-table.js'

const env = {
  GROQ_API_KEY: 'g1,g2',
  CEREBRAS_API_KEY: 'c',
  GEMINI_API_KEY: 'ge',
  OPENROUTER_API_KEY: 'o',
  MISTRAL_API_KEY: 'm',
  OPENAI_API_KEY: 'sk',
  HF_TOKEN: 'hf',
}
const DAY_MS = 24 * 60 * 60 * 1000
/** Ten days after the freshest evidence: nothing is stale yet. */
const freshNowMs = Date.parse(`${EVIDENCE_PRIORS.as_of}T00:00:00Z`) + 10 * DAY_MS

function providers(extra: Record<string, unknown> = {}): ProviderConfig[] {
  const empty = mkdtempSync(join(tmpdir(), 'rank-'))
  const config = loadConfig({}, { env, cwd: empty, homeDir: empty })
  return config.providers.map((p) =>
    p.name === 'openai' ? { ...p, enabled: true, disabledReason: null, ...extra } : p,
  )
}

const none = { tools: false, vision: false, jsonMode: false, contextTokens: 1000 }
const table = buildRoutingTable()

function ranked(
  task: string,
  complexity: 'low' | 'medium' | 'high',
  mode: 'economy' | 'balanced' | 'quality',
  required = none,
  routing: RoutingTable = table,
  nowMs = freshNowMs,
) {
  return rankCandidates({
    analysis: { task: task as never, complexity, isBackgroundCall: false },
    mode,
    providers: providers(),
    table: routing,
    required,
    nowMs,
  }).candidates
}
const order = (...args: Parameters<typeof ranked>) =>
  ranked(...args).map((c) => `${c.provider.name}/${c.model}`)

describe('rankCandidates', () => {
  it('ranks by the evidence about the model each provider would call for the tier', () => {
    // gemini-3.8-flash answers for the retired gemini-2.5-pro, whose evidence stands in for it.
    expect(order('general', 'medium', 'balanced')[0]).toBe('gemini/gemini-3.8-flash')
    expect(order('translation', 'high', 'balanced')[0]).toBe('gemini/gemini-3.8-flash')
    // Summaries: the hallucination rates put gpt-oss-120b below the Llama models.
    const summarize = order('summarize', 'low', 'balanced')
    expect(summarize.indexOf('openrouter/meta-llama/llama-3.3-70b-instruct:free')).toBeLessThan(
      summarize.indexOf('cerebras/gpt-oss-120b'),
    )
    const first = ranked('code', 'medium', 'balanced')[0]!
    expect(first.prior).toMatchObject({ origin: 'evidence', model: 'gemini-2.5-pro', isStale: false })
    expect(first.prior?.sources).toContain('swe-bench-bash-only/verified')
  })

  it('gives every provider that calls the same model the same prior', () => {
    const strong = ranked('general', 'high', 'balanced').filter((c) => c.prior?.model === 'gpt-oss-120b')
    expect(new Set(strong.map((c) => c.provider.name))).toEqual(new Set(['cerebras', 'groq', 'huggingface']))
    expect(new Set(strong.map((c) => c.prior?.value)).size).toBe(1)
    expect(strong[0]!.prior?.value).toBe(EVIDENCE_PRIORS.tasks.general['gpt-oss-120b']!.prior)
  })

  it("ranks openrouter/free by its pool's mean prior", () => {
    const pool = ranked('code', 'high', 'balanced').find((c) => c.model === 'openrouter/free')!
    const members = EVIDENCE_PRIORS.pools['openrouter/free']!.flatMap(
      (m) => EVIDENCE_PRIORS.tasks.code[m] ?? [],
    )
    const mean = members.reduce((sum, p) => sum + p.prior, 0) / members.length
    expect(pool.prior).toMatchObject({ origin: 'pool', model: null })
    expect(pool.prior?.value).toBeCloseTo(mean, 3)
  })

  it("lets a user's routing row override the evidence for that task only", () => {
    const own = buildRoutingTable({ translation: ['mistral', 'groq = cerebras'] })
    const translation = ranked('translation', 'high', 'balanced', none, own)
    expect(translation[0]!.provider.name).toBe('mistral')
    expect(translation[0]!.prior).toMatchObject({ origin: 'routing', value: 1 })
    expect(ranked('general', 'medium', 'balanced', none, own)[0]!.prior?.origin).toBe('evidence')
  })

  it('flags priors whose freshest evidence is older than 180 days', () => {
    const asOfMs = Date.parse(`${EVIDENCE_PRIORS.tasks.general['gemini-2.5-pro']!.as_of}T00:00:00Z`)
    const at = (nowMs: number) =>
      ranked('general', 'medium', 'balanced', none, table, nowMs).find((c) => c.provider.name === 'gemini')!
    expect(at(asOfMs + 179 * DAY_MS).prior?.isStale).toBe(false)
    expect(at(asOfMs + 181 * DAY_MS).prior?.isStale).toBe(true)
  })

  it('picks the fast tier for simple work and the strong tier for complex work, per mode', () => {
    expect(order('general', 'low', 'balanced')).toContain('groq/llama-3.1-8b-instant')
    expect(order('general', 'high', 'balanced')).toContain('groq/openai/gpt-oss-120b')
    expect(order('general', 'medium', 'economy')).toContain('gemini/gemini-3.1-flash-lite')
    expect(order('general', 'low', 'quality')).toContain('gemini/gemini-3.8-flash')
  })

  it('never puts a trial or credit-based provider ahead of a recurring free one', () => {
    for (const task of ['general', 'reasoning', 'summarize', 'code'] as const) {
      const names = order(task, 'medium', 'balanced').map((n) => n.split('/')[0])
      const lastFree = Math.max(
        ...['groq', 'gemini', 'openrouter', 'mistral'].map((p) => names.lastIndexOf(p)),
      )
      expect(names.indexOf('cerebras')).toBeGreaterThan(lastFree)
    }
  })

  it('ranks the next model of a provider whose tier model is retired', () => {
    const ranking = rankCandidates({
      analysis: { task: 'general', complexity: 'high', isBackgroundCall: false },
      mode: 'balanced',
      providers: providers(),
      table,
      required: none,
      nowMs: freshNowMs,
      isRetired: (provider, model) => provider === 'groq' && model === 'openai/gpt-oss-120b',
    })
    const groq = ranking.candidates.filter((c) => c.provider.name === 'groq').map((c) => c.model)
    expect(groq).toEqual(['llama-3.1-8b-instant', 'llama-3.1-8b-instant'])
  })

  it('puts paid providers after every free one, cheap tier for simple work', () => {
    const low = order('general', 'low', 'quality')
    expect(low.at(-1)).toBe('openai/gpt-4o')
    expect(order('general', 'low', 'balanced').at(-1)).toBe('openai/gpt-4o-mini')
    expect(order('general', 'high', 'balanced').at(-1)).toBe('openai/gpt-4o')
  })

  it('expands each key of a provider', () => {
    expect(order('general', 'low', 'balanced').filter((n) => n.startsWith('groq/'))).toHaveLength(2)
  })

  it('filters by context window, tools and vision before scoring', () => {
    const big = rankCandidates({
      analysis: { task: 'code', complexity: 'medium', isBackgroundCall: false },
      mode: 'balanced',
      providers: providers(),
      table,
      required: { ...none, contextTokens: 100_000 },
      nowMs: freshNowMs,
    })
    expect(big.candidates.map((c) => c.provider.name)).not.toContain('cerebras')
    expect(big.excluded.find((e) => e.provider === 'cerebras')?.reason).toMatch(/65536/)
    const vision = order('general', 'low', 'balanced', { ...none, vision: true }).map((n) => n.split('/')[0])
    expect(new Set(vision)).toEqual(new Set(['gemini', 'mistral', 'openai']))
  })

  it('routes away from unavailable targets and prefers spare capacity in economy', () => {
    const ranking = rankCandidates({
      analysis: { task: 'general', complexity: 'medium', isBackgroundCall: false },
      mode: 'economy',
      providers: providers(),
      table,
      required: none,
      nowMs: freshNowMs,
      availability: (provider) => (provider === 'cerebras' ? 0 : provider === 'groq' ? 1 : 0.2),
    })
    expect(ranking.candidates[0]!.provider.name).toBe('groq')
    expect(ranking.candidates.some((c) => c.provider.name === 'cerebras')).toBe(false)
  })
})

describe("a user's stated free_llm_priority", () => {
  // Two providers in the order the user wrote them: groq first, then gemini.
  const stated = () => {
    const all = providers()
    const order = ['groq', 'gemini']
    return order.map((name) => all.find((p) => p.name === name)!)
  }
  const rank = (
    mode: 'economy' | 'balanced',
    availability: (provider: string) => number,
    isStated: boolean,
  ) =>
    rankCandidates({
      analysis: { task: 'general', complexity: 'medium', isBackgroundCall: false },
      mode,
      providers: stated(),
      table: buildRoutingTable({ general: ['gemini', 'groq'] }),
      required: none,
      nowMs: freshNowMs,
      availability: (provider) => availability(provider),
      isPriorityStated: isStated,
    }).candidates.map((c) => c.provider.name)

  it('orders candidates within one quality band', () => {
    // The routing row rates gemini 1.0 and groq 0.75 for general work; with these capacities they score
    // 0.77 and 0.75: one band, so the stated order decides.
    const similar = (provider: string) => (provider === 'gemini' ? 0.77 : 1)
    expect(rank('balanced', similar, false)[0]).toBe('gemini')
    expect(rank('balanced', similar, true)[0]).toBe('groq')
  })

  it('does not lift a clearly worse candidate above a better one in balanced mode', () => {
    expect(rank('balanced', () => 1, true)[0]).toBe('gemini')
  })

  it('is the order in economy mode', () => {
    expect(rank('economy', () => 1, false)[0]).toBe('gemini')
    expect(rank('economy', () => 1, true)[0]).toBe('groq')
  })
})
