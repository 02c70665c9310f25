import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { applyCatalogOverlay, CATALOG, DEFAULT_FREE_PRIORITY } from './catalog.js'
import { catalogFileSchema } from './catalog-schema.js'

// The catalogue is data that CI checks: it validates, every figure says when it was checked and where,
// unpublished figures say so, and the defaults never pick a retired model or rank a trial first.

const raw: unknown = JSON.parse(readFileSync(new URL('./catalog.json', import.meta.url), 'utf8'))

/** Every figure in the file: an object with a `value`, wherever it sits. */
function figures(node: unknown, path = ''): { path: string; figure: Record<string, unknown> }[] {
  if (node === null || typeof node !== 'object') return []
  if (Array.isArray(node)) return node.flatMap((item, index) => figures(item, `${path}[${index}]`))
  const record = node as Record<string, unknown>
  if (Object.hasOwn(record, 'value')) return [{ path, figure: record }]
  return Object.entries(record).flatMap(([key, value]) =>
    figures(value, path === '' ? key : `${path}.${key}`),
  )
}

describe('catalog.json', () => {
  it('validates against the schema', () => {
    const result = catalogFileSchema.safeParse(raw)
    expect(result.success ? [] : result.error.issues).toEqual([])
  })

  it('gives every figure an as_of date and an https source, and every null figure a note', () => {
    const all = figures((raw as { providers: unknown }).providers)
    expect(all.length).toBeGreaterThan(300)
    const problems = all.filter(
      ({ figure }) =>
        typeof figure.as_of !== 'string' ||
        !/^\d{4}-\d{2}-\d{2}$/.test(figure.as_of) ||
        typeof figure.source !== 'string' ||
        !figure.source.startsWith('https://') ||
        (figure.value === null && typeof figure.note !== 'string'),
    )
    expect(problems.map(({ path }) => path)).toEqual([])
  })

  it('never defaults to a retired model', () => {
    for (const [name, entry] of Object.entries(CATALOG)) {
      for (const model of [entry.model, entry.fastModel, entry.strongModel]) {
        expect(entry.models.get(model)?.status, `${name}/${model}`).not.toBe('retired')
      }
    }
  })

  it('lists every free, trial, credit and local provider in the default order, recurring free tiers first', () => {
    const unpaid = Object.entries(CATALOG).filter(([, entry]) => entry.tier !== 'paid')
    expect(new Set(DEFAULT_FREE_PRIORITY)).toEqual(new Set(unpaid.map(([name]) => name)))
    const tierOf = (name: string) => CATALOG[name]!.tier
    const lastFree = Math.max(...DEFAULT_FREE_PRIORITY.map((name, i) => (tierOf(name) === 'free' ? i : -1)))
    const firstTrial = DEFAULT_FREE_PRIORITY.findIndex((name) => ['trial', 'credit'].includes(tierOf(name)))
    expect(firstTrial).toBeGreaterThan(lastFree)
  })

  it('has the free-tier facts the issue found drifted', () => {
    expect(CATALOG.cerebras?.tier).toBe('trial')
    expect(CATALOG.openrouter).toMatchObject({ limitsPer: 'provider', poolScope: 'account' })
    expect(CATALOG.openrouter?.limits).toMatchObject({ rpm: 20, rpd: 50 })
    expect(CATALOG.gemini?.poolScope).toBe('project')
    expect(CATALOG.gemini?.models.get('gemini-2.5-pro')?.status).toBe('retired')
    expect(CATALOG.groq?.models.get('llama-3.1-8b-instant')?.limits).toEqual({
      rpm: 30,
      rpd: 14_400,
      tpm: 6_000,
      tpd: 500_000,
    })
  })
})

describe('applyCatalogOverlay', () => {
  it('replaces one model’s figures and adds a provider, keeping the rest', () => {
    const figure = (value: number | null) => ({
      value,
      as_of: '2026-12-08',
      source: 'https://example.com/limits',
    })
    const limits = { rpm: figure(60), rpd: figure(2_000), tpm: figure(12_000), tpd: figure(400_000) }
    const overlay = {
      providers: {
        groq: {
          models: {
            'llama-3.1-8b-instant': { ...rawModel('groq', 'llama-3.1-8b-instant'), limits },
          },
        },
      },
    }
    const catalog = applyCatalogOverlay(overlay)
    expect(catalog.groq?.models.get('llama-3.1-8b-instant')?.limits).toMatchObject({ rpm: 60, rpd: 2_000 })
    expect(catalog.groq?.models.get('openai/gpt-oss-120b')?.limits?.rpd).toBe(1_000)
    expect(catalog.gemini).toBeDefined()
  })

  it('names the provider and field of a figure without a source', () => {
    const overlay = { providers: { groq: { limits: { rpm: { value: 5, as_of: '2026-12-08' } } } } }
    expect(() => applyCatalogOverlay(overlay)).toThrow(ZodError)
    try {
      applyCatalogOverlay(overlay)
    } catch (error) {
      expect((error as ZodError).issues.some((issue) => issue.path.join('.').startsWith('groq.limits'))).toBe(
        true,
      )
    }
  })
})

function rawModel(provider: string, model: string): Record<string, unknown> {
  const providers = (
    raw as { providers: Record<string, { models: Record<string, Record<string, unknown>> }> }
  ).providers
  return providers[provider]!.models[model]!
}
