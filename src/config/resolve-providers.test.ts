import { describe, expect, it } from 'vitest'
import { ConfigError } from './config-error.js'
import { resolveProviders } from './resolve-providers.js'

const NO_ENV = {}
const find = (providers: ReturnType<typeof resolveProviders>, name: string) =>
  providers.find((provider) => provider.name === name)!

describe('resolveProviders: keys, pools and limits', () => {
  it('keeps plain string keys, reads {key, pool} entries, and pools unannotated keys by the provider’s scope', () => {
    const providers = resolveProviders(
      {
        groq: { api_keys: ['gsk_a', { key: 'gsk_b', pool: 'org-b' }, 'gsk_c'] },
        custom: { base_url: 'http://127.0.0.1:9/v1', model: 'm', api_keys: ['k1', 'k2'] },
      },
      [],
      NO_ENV,
    )
    const groq = find(providers, 'groq')
    expect(groq.apiKeys).toEqual(['gsk_a', 'gsk_b', 'gsk_c'])
    // Groq counts per organization: keys that name no pool share the default one.
    expect(groq.keyPools).toEqual(['default', 'org-b', 'default'])
    // A custom endpoint's keys are independent.
    expect(find(providers, 'custom').keyPools).toEqual(['key 1', 'key 2'])
  })

  it('applies provider-wide limits to every model, a model’s own over them, and null as "no limit"', () => {
    const providers = resolveProviders(
      {
        groq: {
          api_key: 'gsk_a',
          limits: { rpm: 10, tpd: null },
          models: { 'qwen/qwen3-32b': { limits: { rpd: 7 }, context_window: 32_000 } },
        },
      },
      [],
      NO_ENV,
    )
    const groq = find(providers, 'groq')
    expect(groq.models.get('llama-3.1-8b-instant')?.limits).toEqual({
      rpm: 10,
      rpd: 14_400,
      tpm: 6_000,
      tpd: null,
    })
    expect(groq.models.get('qwen/qwen3-32b')?.limits).toEqual({ rpm: 10, rpd: 7, tpm: 6_000, tpd: null })
    expect(groq.models.get('qwen/qwen3-32b')?.info.contextWindow).toBe(32_000)
  })

  it('ranks trial and credit tiers after free ones unless the priority is written out', () => {
    const byDefault = resolveProviders({}, [], NO_ENV)
    expect(find(byDefault, 'cerebras').rankGroup).toBe(1)
    expect(find(byDefault, 'groq').rankGroup).toBe(0)
    const explicit = resolveProviders({}, ['cerebras', 'groq'], NO_ENV, undefined, true)
    expect(find(explicit, 'cerebras').rankGroup).toBe(0)
    expect(find(explicit, 'openai').rankGroup).toBe(2)
  })

  it('refuses a provider named after an Object.prototype key instead of resolving it from there', () => {
    expect(() => resolveProviders({ constructor: {} }, [], NO_ENV)).toThrow(ConfigError)
    expect(() => resolveProviders({}, ['toString'], NO_ENV)).toThrow(/unknown provider "toString"/)
  })
})
