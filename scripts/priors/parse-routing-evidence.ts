import type { Snapshot, SnapshotRow } from './evidence-inputs.js'
import { markdownTable, plainText } from './markdown-table.js'

// data/evidence/routing-evidence.md (the steering team's evidence, vendored) → one snapshot per source.
// Figures come from §1: the side-by-side table (LMArena, LiveBench, Vectara per model) and the sources
// table's lists (Aider polyglot, SWE-bench bash-only, which also name OpenRouter pool models). Each
// source's repository, commit, path and date are written here and checked against the sources table,
// whose licence cell is copied. Nothing is read from anywhere else.

export const ROUTING_EVIDENCE = 'data/evidence/routing-evidence.md'

type SourceMeta = Omit<Snapshot, 'licence' | 'rows' | 'via'> & {
  /** The source's name in bold in the first column of §1's sources table. */
  label: string
  /** Text that must stand in that first column: the date the snapshot is dated by. */
  dated: string
}

const SOURCES: readonly SourceMeta[] = [
  {
    source: 'lmarena-text',
    label: 'LMArena text, style control',
    title: 'LMArena text leaderboard, style control',
    repo: 'lmarena/arena-catalog',
    commit: '3b12b7f',
    path: 'data/leaderboard-text-style-control.json',
    as_of: '2025-12-11',
    dated: '2025-12-11',
    scale: 'rating',
    anchor: 'llama-3.3-70b',
    n: null,
    tie_half_width: 5,
    derivation:
      'style-controlled rating per category as the side-by-side table gives it ("language" is its "Lang": the mean of the 7 language boards, derived by the steering team). The build turns a rating into the win probability against llama-3.3-70b on the same board. No CIs are given; the file says rating gaps under ~10 are inside them, so each rating gets ±5 points and gaps under 10 tie.',
  },
  {
    source: 'livebench-2026-01-08',
    label: 'LiveBench',
    title: 'LiveBench, release 2026-01-08',
    repo: 'LiveBench/livebench.github.io',
    commit: '4bf96c8',
    path: 'public/table_2026_01_08.csv, public/categories_2026_01_08.json',
    as_of: '2026-07-01',
    dated: 'updated to 2026-07-01',
    scale: 'percent',
    anchor: null,
    n: null,
    tie_half_width: null,
    derivation:
      'category mean of its task columns (derived by the steering team), release 2026-01-08 only: releases ask different questions. No CIs.',
  },
  {
    source: 'aider-polyglot',
    label: 'Aider polyglot',
    title: 'Aider polyglot leaderboard (225 exercises)',
    repo: 'Aider-AI/aider',
    commit: 'cb6a152',
    path: 'aider/website/_data/polyglot_leaderboard.yml',
    as_of: '2025-10-04',
    dated: '2025-10-04',
    scale: 'percent',
    anchor: null,
    n: 225,
    tie_half_width: null,
    derivation:
      'pass rate (pass@2) as listed; a run given as a range (a–b) is two rows, its low and high end. Wilson interval over 225 exercises.',
  },
  {
    source: 'swe-bench-bash-only',
    label: 'SWE-bench bash-only',
    title: 'SWE-bench Verified, bash-only (mini-swe-agent, one shared scaffold)',
    repo: 'SWE-bench/swe-bench.github.io',
    commit: 'f1176b6',
    path: 'data/leaderboards.json',
    as_of: '2025-12-10',
    dated: '2025-12-10',
    scale: 'percent',
    anchor: null,
    n: 500,
    tie_half_width: null,
    derivation: '% of the 500 Verified instances resolved, as listed. Wilson interval over 500 instances.',
  },
  {
    source: 'vectara-hallucination',
    label: 'Vectara hallucination leaderboard',
    title: 'Vectara hallucination leaderboard (HHEM judge)',
    repo: 'vectara/hallucination-leaderboard',
    commit: '2e09859',
    path: 'README.md',
    as_of: '2026-03-10',
    dated: '2026-03-10',
    scale: 'percent',
    anchor: null,
    n: null,
    tie_half_width: null,
    derivation: 'factual consistency = 100 − the hallucination rate the side-by-side table gives. No CIs.',
  },
]

/** Side-by-side columns → source and category. */
const COLUMNS: Readonly<Record<string, readonly [string, string]>> = {
  'Arena overall': ['lmarena-text', 'full'],
  hard: ['lmarena-text', 'hard'],
  coding: ['lmarena-text', 'coding'],
  math: ['lmarena-text', 'math'],
  creative: ['lmarena-text', 'creative_writing'],
  IF: ['lmarena-text', 'if'],
  Lang: ['lmarena-text', 'language'],
  'LB reasoning': ['livebench-2026-01-08', 'Reasoning'],
  'LB code': ['livebench-2026-01-08', 'Coding'],
  'LB math': ['livebench-2026-01-08', 'Mathematics'],
  'LB IF': ['livebench-2026-01-08', 'IF'],
  'Vectara halluc.': ['vectara-hallucination', 'factual_consistency'],
}
/** The same figures as the SWE-bench list of the sources table, which also names the pool's models. */
const IGNORED_COLUMNS = new Set(['model (who serves it)', 'SWE-bash'])
/** Sources whose figures are listed in the sources table's "models covered" cell, and its separator. */
const LISTED: Readonly<Record<string, RegExp>> = {
  'aider-polyglot': /;\s*/,
  'swe-bench-bash-only': /,\s*/,
}

const SUPERSCRIPTS = '¹²³⁴⁵⁶⁷⁸⁹'
const round1 = (value: number): number => Number(value.toFixed(1))

type Draft = Omit<SnapshotRow, 'as_of' | 'licence'>

function footnotes(text: string): Map<string, string> {
  const line = text.split('\n').find((l) => [...SUPERSCRIPTS].includes(l.charAt(0))) ?? ''
  const notes = new Map<string, string>()
  for (const match of line.matchAll(new RegExp(`([${SUPERSCRIPTS}])\\s*([^${SUPERSCRIPTS}]+)`, 'g')))
    notes.set(match[1] ?? '', (match[2] ?? '').trim().replace(/\.$/, ''))
  return notes
}

function sideBySide(text: string): Draft[] {
  const table = markdownTable(text, '| model (who serves it)')
  const notes = footnotes(text)
  const drafts: Draft[] = []
  for (const cells of table.rows) {
    const model = (cells[0] ?? '').replace(/\s*\(.*\)$/, '')
    table.header.forEach((column, index) => {
      if (IGNORED_COLUMNS.has(column)) return
      const target = COLUMNS[column]
      if (target === undefined) throw new Error(`side-by-side table: unknown column "${column}"`)
      const cell = cells[index] ?? ''
      if (cell === '—') return
      const match = new RegExp(`^(\\d+(?:\\.\\d+)?)\\s*%?\\s*([${SUPERSCRIPTS}]?)$`).exec(cell)
      if (match === null) throw new Error(`side-by-side table: "${cell}" in ${model}/${column}`)
      const note = notes.get(match[2] ?? '')
      const [source, category] = target
      const published = Number(match[1])
      drafts.push({
        source,
        model: note === undefined ? model : `${model} [${note}]`,
        category,
        value: source === 'vectara-hallucination' ? round1(100 - published) : published,
        ci_low: null,
        ci_high: null,
        ref: `§1 side-by-side table, row ${model}, column "${column}"`,
      })
    })
  }
  return drafts
}

const FIGURE = String.raw`\d+\.\d(?:\s*\([^)]*\))?`
const LISTED_ITEM = new RegExp(String.raw`^(.+?)\s+(${FIGURE}(?:\s*[/–]\s*${FIGURE})*)$`)

/** "name 44.0 (no thinking) / 55.1 (24k thinking)", "name 79.1–83.1" or "name 26.0" → rows. */
function listedItem(item: string, source: string, category: string, ref: string): Draft[] {
  const match = LISTED_ITEM.exec(item.trim())
  if (match === null) throw new Error(`${source}: cannot read "${item}"`)
  const name = match[1] ?? ''
  const figures = match[2] ?? ''
  const row = (model: string, value: number): Draft => ({
    source,
    model,
    category,
    value,
    ci_low: null,
    ci_high: null,
    ref,
  })
  const range = /^(\d+\.\d)–(\d+\.\d)$/.exec(figures)
  if (range !== null)
    return [
      row(`${name} [low end of ${figures}]`, Number(range[1])),
      row(`${name} [high end of ${figures}]`, Number(range[2])),
    ]
  return figures.split(/\s*\/\s*/).map((variant) => {
    const [, value, label] = /^(\d+\.\d)(?:\s*\(([^)]*)\))?$/.exec(variant) ?? []
    if (value === undefined) throw new Error(`${source}: cannot read "${variant}" of "${item}"`)
    return row(label === undefined ? name : `${name} (${label})`, Number(value))
  })
}

const CATEGORY_OF_LIST: Readonly<Record<string, string>> = {
  'aider-polyglot': 'polyglot',
  'swe-bench-bash-only': 'verified',
}

/** The sources table's row of a source, checked to name the repository, commit and date written above. */
function sourcesRow(table: { rows: string[][] }, meta: SourceMeta): string[] {
  const cells = table.rows.find((r) => plainText(r[0] ?? '').startsWith(meta.label))
  if (cells === undefined) throw new Error(`sources table: no row for ${meta.label}`)
  const where = plainText(cells[4] ?? '')
  for (const expected of [`${meta.repo}:`, `@${meta.commit}`])
    if (!where.includes(expected))
      throw new Error(`${meta.source}: the sources table does not say ${expected}`)
  if (!(cells[0] ?? '').includes(meta.dated)) throw new Error(`${meta.source}: not dated ${meta.dated}`)
  return cells
}

/** Every source's snapshot, as routing-evidence.md gives it. Pure: the same text, the same snapshots. */
export function parseRoutingEvidence(text: string): Snapshot[] {
  const sources = markdownTable(text, '| Source (date)')
  const drafts = sideBySide(text)
  return SOURCES.map((meta): Snapshot => {
    const { label: _label, dated: _dated, ...fields } = meta
    const cells = sourcesRow(sources, meta)
    const licence = plainText(cells[3] ?? '')
    const separator = LISTED[meta.source]
    const own =
      separator === undefined
        ? drafts.filter((d) => d.source === meta.source)
        : plainText(cells[1] ?? '')
            .split(separator)
            .flatMap((item) =>
              listedItem(
                item,
                meta.source,
                CATEGORY_OF_LIST[meta.source] ?? '',
                `§1 sources table, row "${meta.label}", column "Free-tier models covered"`,
              ),
            )
    if (own.length === 0) throw new Error(`${meta.source}: no figures found`)
    return {
      ...fields,
      licence,
      via: ROUTING_EVIDENCE,
      rows: own.map(({ ref, ...figure }) => ({ ...figure, as_of: meta.as_of, licence, ref })),
    }
  })
}
