import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadOutcomeViews } from '../../bench/routing/outcome-views.js'
import { loadReplayCorpus } from '../../bench/routing/replay-corpus.js'
import { seededRandom } from '../../src/lib/random.js'

// The routing replay simulates each prompt's outcome from the published rates: over many prompts a
// model succeeds as often as its figure says, models agree on which prompts are hard, and a model a
// view does not cover has no outcome (it is counted as uncovered, never imputed).

const root = join(import.meta.dirname, '../..')
const views = loadOutcomeViews(root)
const corpus = loadReplayCorpus(root, views, seededRandom(17))

describe('simulated replay outcomes', () => {
  it('reproduce each published rate over the prompts of its task', () => {
    const view = views.find((v) => v.id === 'general: lmarena-text/full')!
    const items = corpus.byTask.general.filter((item) => item.source === 'train-panel')
    expect(items.length).toBeGreaterThan(500)
    for (const model of ['gemini-2.5-pro', 'llama-3.1-8b']) {
      const rate = view.rates.get(model)!
      const wins = items.filter((item) => item.outcomes.get(view.id)?.get(model) === 1).length
      expect(Math.abs(wins / items.length - rate)).toBeLessThan(0.05)
    }
  })

  it('let a weaker model succeed only where a stronger one does', () => {
    const id = 'code: swe-bench-bash-only/verified'
    for (const item of corpus.byTask.code) {
      const outcome = item.outcomes.get(id)
      if (outcome === undefined) continue
      if (outcome.get('gpt-oss-120b') === 1) expect(outcome.get('gemini-2.5-pro')).toBe(1)
    }
  })

  it('give no outcome to a model the view does not cover', () => {
    const item = corpus.byTask.code[0]!
    expect(item.outcomes.get('code: swe-bench-bash-only/verified')?.has('mistral-small-2506')).toBe(false)
    expect(item.outcomes.get('code: lmarena-text/coding')?.has('mistral-small-2506')).toBe(true)
    expect([...item.outcomes.keys()].every((id) => id.startsWith('code: '))).toBe(true)
  })
})
