import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSnapshots } from '../../scripts/priors/evidence-inputs.js'
import { parseRoutingEvidence, ROUTING_EVIDENCE } from '../../scripts/priors/parse-routing-evidence.js'

// The snapshots are transcribed from the vendored routing-evidence.md and nothing else: the committed
// files must be exactly what parsing it gives (npm run snapshot:evidence), row by row.

const root = join(import.meta.dirname, '../..')
const text = readFileSync(join(root, ROUTING_EVIDENCE), 'utf8')
const figure = (source: string, model: string, category: string): number | undefined =>
  parseRoutingEvidence(text)
    .find((s) => s.source === source)
    ?.rows.find((r) => r.model === model && r.category === category)?.value

describe('evidence snapshots', () => {
  it('are exactly what data/evidence/routing-evidence.md gives (npm run snapshot:evidence)', () => {
    const bySource = parseRoutingEvidence(text).sort((a, b) => a.source.localeCompare(b.source))
    expect(loadSnapshots(join(root, 'data/evidence'))).toEqual(bySource)
  })

  it('carry each figure as the file prints it, with its source, date and licence', () => {
    expect(figure('lmarena-text', 'gpt-oss-120b', 'coding')).toBe(1388)
    expect(figure('lmarena-text', 'qwen3-235b-2507', 'language')).toBe(1419)
    expect(figure('livebench-2026-01-08', 'gemini-2.5-flash [09-2025 preview, high thinking]', 'IF')).toBe(
      27.7,
    )
    expect(figure('swe-bench-bash-only', 'Qwen3-Coder', 'verified')).toBe(55.4)
    expect(figure('aider-polyglot', 'gemini-2.5-flash (24k thinking)', 'polyglot')).toBe(55.1)
    expect(figure('aider-polyglot', 'Codestral 25.01', 'polyglot')).toBe(11.1)
    // Vectara publishes hallucination rates: 14.2 % → 85.8 % factually consistent.
    expect(figure('vectara-hallucination', 'gpt-oss-120b', 'factual_consistency')).toBe(85.8)
    const swe = parseRoutingEvidence(text).find((s) => s.source === 'swe-bench-bash-only')!
    expect(swe).toMatchObject({ repo: 'SWE-bench/swe-bench.github.io', commit: 'f1176b6', n: 500 })
    expect(swe.rows[0]).toMatchObject({ as_of: '2025-12-10', licence: 'Site: CC BY-NC 4.0; dataset MIT' })
  })

  it('refuse a table they cannot read rather than guess', () => {
    expect(() => parseRoutingEvidence(text.replace('| LB IF |', '| LB instructions |'))).toThrow(
      /unknown column "LB instructions"/,
    )
    expect(() => parseRoutingEvidence(text.replace('| 1388 |', '| about 1388 |'))).toThrow(/about 1388/)
    expect(() => parseRoutingEvidence(text.replace('@f1176b6', '@0000000'))).toThrow(/@f1176b6/)
  })
})
