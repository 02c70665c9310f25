import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../config/load-config.js'
import type { ProviderConfig } from '../../config/types.js'
import { rankCandidates } from './rank-candidates.js'
import { buildRoutingTable } from './routing-table.js'

const env = {
  GROQ_API_KEY: 'g1,g2',
  CEREBRAS_API_KEY: 'c',
  GEMINI_API_KEY: 'ge',
  OPENROUTER_API_KEY: 'o',
  MISTRAL_API_KEY: 'm',
  OPENAI_API_KEY: 'sk',
}

function providers(extra: Record<string, unknown> = {}): ProviderConfig[] {
  const empty = mkdtempSync(join(tmpdir(), 'rank-'))
  const config = loadConfig({}, { env, cwd: empty, homeDir: empty })
  return config.providers.map((p) =>
    p.name === 'openai' ? { ...p, enabled: true, disabledReason: null, ...extra } : p,
  )
}

const none = { tools: false, vision: false, jsonMode: false, contextTokens: 1000 }
const table = buildRoutingTable()

function order(
  task: string,
  complexity: 'low' | 'medium' | 'high',
  mode: 'economy' | 'balanced' | 'quality',
  required = none,
) {
  return rankCandidates({
    analysis: { task: task as never, complexity, isBackgroundCall: false },
    mode,
    providers: providers(),
    table,
    required,
  }).candidates.map((c) => `${c.provider.name}/${c.model}`)
}

describe('rankCandidates', () => {
  it('follows the routing table per task', () => {
    expect(order('code', 'medium', 'balanced')[0]).toBe('openrouter/openrouter/free')
    expect(order('translation', 'low', 'balanced')[0]).toBe('mistral/mistral-small-latest')
    // Cerebras tops the general row, but its free access is a trial now: free tiers come first.
    expect(order('general', 'medium', 'balanced')[0]).toBe('gemini/gemini-3.8-flash')
    expect(
      order('math', 'medium', 'balanced')
        .slice(0, 2)
        .map((n) => n.split('/')[0]),
    ).toEqual(['gemini', 'openrouter'])
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
      availability: (provider) => (provider === 'cerebras' ? 0 : provider === 'groq' ? 1 : 0.2),
    })
    expect(ranking.candidates[0]!.provider.name).toBe('groq')
    expect(ranking.candidates.some((c) => c.provider.name === 'cerebras')).toBe(false)
  })
})
