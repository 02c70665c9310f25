// `npm run snapshot:evidence -- --mirror DIR [--fetched-at YYYY-MM-DD]`: reads the public sources from local
// git snapshots (DIR/<owner>+<name>/repo, as the search tool's `fetch` lays them out) at pinned commits, and
// writes data/evidence/snapshots/<source>.json plus the per-item replay records in bench/data/routing-replay/.
// Run by hand when refreshing the evidence; nothing reads the network or DIR at build, test or bench time.
// Sources without an open licence keep only derived figures, for the models the alias map maps.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parse as parseYaml } from 'yaml'

interface Row {
  model: string
  category: string
  value: number
  ci_low: number | null
  ci_high: number | null
}
interface Snapshot {
  source: string
  title: string
  repo: string
  commit: string
  path: string
  licence: string
  kept: 'raw' | 'derived'
  as_of: string
  fetched_at: string
  scale: 'win_probability' | 'percent'
  n: number | null
  derivation: string
  rows: Row[]
}

const { values: args } = parseArgs({
  options: { mirror: { type: 'string' }, 'fetched-at': { type: 'string' } },
})
if (args.mirror === undefined)
  throw new Error('--mirror DIR is required (the folder holding owner+name/repo)')
const mirror = args.mirror
const fetchedAt = args['fetched-at'] ?? new Date().toISOString().slice(0, 10)
const root = join(import.meta.dirname, '..')
const aliases = JSON.parse(readFileSync(join(root, 'data/evidence/aliases.json'), 'utf8')) as {
  sources: Record<string, Record<string, string | null>>
}

function show(repo: string, commit: string, path: string): string {
  const dir = join(mirror, repo.replace('/', '+'), 'repo')
  return execFileSync('git', ['-C', dir, 'show', `${commit}:${path}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
}
const mapped = (source: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(aliases.sources[source] ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== null,
    ),
  )
const round = (value: number, digits = 4): number => Number(value.toFixed(digits))
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length

function write(snapshot: Snapshot): void {
  const file = join(root, 'data/evidence/snapshots', `${snapshot.source}.json`)
  writeFileSync(file, `${JSON.stringify(snapshot, null, 2)}\n`)
  process.stdout.write(`${snapshot.source}: ${snapshot.rows.length} rows\n`)
}

const ARENA_ANCHOR = 'llama-3.3-70b-instruct'
const ARENA_CATEGORIES = ['full', 'hard_6', 'coding', 'math', 'creative_writing', 'if', 'long_user']
const ARENA_LANGUAGES = ['chinese', 'french', 'german', 'japanese', 'korean', 'russian', 'spanish']

function lmarena(): Snapshot {
  const repo = 'lmarena/arena-catalog'
  const commit = '3b12b7fd9'
  const path = 'data/leaderboard-text-style-control.json'
  type Entry = { rating: number; rating_q025: number; rating_q975: number }
  const boards = JSON.parse(show(repo, commit, path)) as Record<string, Record<string, Entry>>
  const winProbability = (rating: number, anchor: number): number => 1 / (1 + 10 ** ((anchor - rating) / 400))
  const versus = (board: string, raw: string): Row | null => {
    const entry = boards[board]?.[raw]
    const anchor = boards[board]?.[ARENA_ANCHOR]
    if (entry === undefined || anchor === undefined) return null
    return {
      model: raw,
      category: board,
      value: round(winProbability(entry.rating, anchor.rating)),
      ci_low: round(winProbability(entry.rating_q025, anchor.rating)),
      ci_high: round(winProbability(entry.rating_q975, anchor.rating)),
    }
  }
  const rows: Row[] = []
  for (const raw of Object.keys(mapped('lmarena-text'))) {
    for (const board of ARENA_CATEGORIES) {
      const row = versus(board, raw)
      if (row !== null) rows.push(row)
    }
    const languages = ARENA_LANGUAGES.map((board) => versus(board, raw)).filter((r): r is Row => r !== null)
    if (languages.length === ARENA_LANGUAGES.length) {
      rows.push({
        model: raw,
        category: 'language',
        value: round(mean(languages.map((r) => r.value))),
        ci_low: round(mean(languages.map((r) => r.ci_low ?? r.value))),
        ci_high: round(mean(languages.map((r) => r.ci_high ?? r.value))),
      })
    }
  }
  return {
    source: 'lmarena-text',
    title: 'LMArena text leaderboard, style control',
    repo,
    commit,
    path,
    licence: 'no licence file; LMArena terms of use apply, cite LMArena',
    kept: 'derived',
    as_of: '2025-12-11',
    fetched_at: fetchedAt,
    scale: 'win_probability',
    n: null,
    derivation: `win probability against ${ARENA_ANCHOR} on the same board, from the rating and its 95 % bounds; "language" is the mean over the ${ARENA_LANGUAGES.join(', ')} boards. Only mapped models are kept.`,
    rows,
  }
}

function livebench(): Snapshot {
  const repo = 'LiveBench/livebench.github.io'
  const commit = '4bf96c8d9'
  const release = '2026_01_08'
  const categories = JSON.parse(show(repo, commit, `public/categories_${release}.json`)) as Record<
    string,
    string[]
  >
  const [header, ...lines] = show(repo, commit, `public/table_${release}.csv`).trim().split('\n')
  const columns = (header ?? '').split(',')
  const groups: Record<string, string[]> = { ...categories, summarize: ['summarize'] }
  const models = mapped('livebench-2026-01-08')
  const rows: Row[] = []
  for (const line of lines) {
    const cells = line.split(',')
    const raw = cells[0] ?? ''
    if (!(raw in models)) continue
    for (const [category, tasks] of Object.entries(groups)) {
      const values = tasks.map((task) => Number(cells[columns.indexOf(task)]))
      if (values.some((v) => !Number.isFinite(v))) continue
      rows.push({ model: raw, category, value: round(mean(values), 3), ci_low: null, ci_high: null })
    }
  }
  return {
    source: 'livebench-2026-01-08',
    title: 'LiveBench, release 2026-01-08',
    repo,
    commit,
    path: `public/table_${release}.csv, public/categories_${release}.json`,
    licence:
      'benchmark Apache-2.0 (LiveBench/LiveBench docs/DATASHEET.md); the site repository has no licence file',
    kept: 'derived',
    as_of: '2026-07-01',
    fetched_at: fetchedAt,
    scale: 'percent',
    n: null,
    derivation:
      'category = mean of its task columns (categories file); "summarize" is the single summarize task column. Only mapped models are kept.',
    rows,
  }
}

function aider(): Snapshot {
  const repo = 'Aider-AI/aider'
  const commit = 'cb6a152e5'
  const path = 'aider/website/_data/polyglot_leaderboard.yml'
  const entries = parseYaml(show(repo, commit, path)) as { model: string; pass_rate_2: number }[]
  return {
    source: 'aider-polyglot',
    title: 'Aider polyglot leaderboard (225 exercises)',
    repo,
    commit,
    path,
    licence: 'Apache-2.0',
    kept: 'raw',
    as_of: '2025-10-04',
    fetched_at: fetchedAt,
    scale: 'percent',
    n: 225,
    derivation: 'pass_rate_2 as published, every row',
    rows: entries.map((e) => ({
      model: e.model,
      category: 'polyglot',
      value: e.pass_rate_2,
      ci_low: null,
      ci_high: null,
    })),
  }
}

interface SweResult {
  name: string
  resolved: number
  per_instance_details?: Record<string, { resolved: boolean }>
}
function sweBench(): { snapshot: Snapshot; results: SweResult[] } {
  const repo = 'SWE-bench/swe-bench.github.io'
  const commit = 'f1176b6'
  const path = 'data/leaderboards.json'
  const boards = JSON.parse(show(repo, commit, path)) as {
    leaderboards: { name: string; results: SweResult[] }[]
  }
  const results = boards.leaderboards.find((b) => b.name === 'bash-only')?.results ?? []
  const models = mapped('swe-bench-bash-only')
  const kept = results.filter((r) => r.name in models)
  return {
    results: kept,
    snapshot: {
      source: 'swe-bench-bash-only',
      title: 'SWE-bench Verified, bash-only (mini-swe-agent, one shared scaffold)',
      repo,
      commit,
      path,
      licence: 'site data CC BY-NC 4.0 (SWE-bench dataset MIT)',
      kept: 'derived',
      as_of: '2025-12-10',
      fetched_at: fetchedAt,
      scale: 'percent',
      n: 500,
      derivation: '% resolved of the 500 Verified instances, for mapped models only',
      rows: kept.map((r) => ({
        model: r.name,
        category: 'verified',
        value: r.resolved,
        ci_low: null,
        ci_high: null,
      })),
    },
  }
}

function vectara(): Snapshot {
  const repo = 'vectara/hallucination-leaderboard'
  const commit = '2e0985929'
  const path = 'README.md'
  const rows: Row[] = []
  for (const line of show(repo, commit, path).split('\n')) {
    const match = /^\|([^|]+)\|\s*([\d.]+) %\|\s*([\d.]+) %\|/.exec(line)
    if (match === null) continue
    rows.push({
      model: (match[1] ?? '').trim(),
      category: 'factual_consistency',
      value: Number(match[3]),
      ci_low: null,
      ci_high: null,
    })
  }
  return {
    source: 'vectara-hallucination',
    title: 'Vectara hallucination leaderboard (HHEM-2.3 judge)',
    repo,
    commit,
    path,
    licence: 'Apache-2.0',
    kept: 'raw',
    as_of: '2026-03-10',
    fetched_at: fetchedAt,
    scale: 'percent',
    n: null,
    derivation: 'factual consistency rate (100 − hallucination rate) as published, every row',
    rows,
  }
}

const WMT_METRICS = ['GEMBA-ESA-CMDA', 'GEMBA-ESA-GPT4.1'] as const
type WmtDocs = Map<string, number>
function wmt25(): { snapshot: Snapshot; docs: Map<string, WmtDocs> } {
  const repo = 'wmt-conference/wmt25-general-mt'
  const commit = 'ebae87369'
  const docs = new Map<string, WmtDocs>()
  const rows: Row[] = []
  for (const raw of Object.keys(mapped('wmt25-general-mt'))) {
    const perDoc: WmtDocs = new Map()
    const perPair = new Map<string, number[]>()
    for (const line of show(repo, commit, `data/automatic_scores/${raw}.jsonl`).trim().split('\n')) {
      const doc = JSON.parse(line) as {
        language_pair: string
        domain: string
        document_id: string
        metric_scores: Record<string, number[]>
      }
      const segmentMeans = WMT_METRICS.map((m) => mean(doc.metric_scores[m] ?? [Number.NaN]))
      const score = mean(segmentMeans)
      if (!Number.isFinite(score)) continue
      perDoc.set(`${doc.language_pair}#${doc.domain}#${doc.document_id}`, round(score / 100))
      perPair.set(doc.language_pair, [...(perPair.get(doc.language_pair) ?? []), score])
    }
    docs.set(raw, perDoc)
    rows.push({
      model: raw,
      category: 'esa',
      value: round(mean([...perPair.values()].map(mean)), 2),
      ci_low: null,
      ci_high: null,
    })
  }
  return {
    docs,
    snapshot: {
      source: 'wmt25-general-mt',
      title: 'WMT25 General MT, LLM-judged ESA scores',
      repo,
      commit,
      path: 'data/automatic_scores/<system>.jsonl',
      licence: 'no licence file in the repository; cite WMT25 General MT',
      kept: 'derived',
      as_of: '2025-08-26',
      fetched_at: fetchedAt,
      scale: 'percent',
      n: null,
      derivation: `per document: mean over segments of the mean of ${WMT_METRICS.join(' and ')} (0–100); per system: mean over language pairs of the mean over documents. Only mapped systems are kept.`,
      rows,
    },
  }
}

interface ReplayFile {
  source: string
  licence: string
  attribution: string
  task: 'code' | 'translation'
  models: string[]
  items: { id: string; prompt: string; scores: Record<string, number> }[]
}

function sweReplay(results: readonly SweResult[]): ReplayFile {
  const models = mapped('swe-bench-bash-only')
  const withDetails = results.filter((r) => r.per_instance_details !== undefined)
  const ids = Object.keys(withDetails[0]?.per_instance_details ?? {}).sort()
  return {
    source: 'swe-bench-bash-only',
    licence: 'CC BY-NC 4.0',
    attribution:
      'SWE-bench team, swe-bench.github.io data/leaderboards.json @ f1176b6 (bash-only board, per_instance_details.resolved); only the resolved flag of mapped models is kept',
    task: 'code',
    models: withDetails.map((r) => models[r.name] ?? r.name),
    items: ids.map((id) => {
      const [owner = '', rest = ''] = id.split('__')
      const repoName = rest.replace(/-\d+$/, '')
      return {
        id,
        prompt: `In the ${owner}/${repoName} repository, fix the bug reported in issue ${id}: the failing tests must pass and the existing ones keep passing. Find the cause in the code, write the patch, and explain the fix.`,
        scores: Object.fromEntries(
          withDetails.map((r) => [models[r.name] ?? r.name, r.per_instance_details?.[id]?.resolved ? 1 : 0]),
        ),
      }
    }),
  }
}

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  cs: 'Czech',
  de: 'German',
  ja: 'Japanese',
  zh: 'Chinese',
  ko: 'Korean',
  ar: 'Arabic',
  et: 'Estonian',
  is: 'Icelandic',
  it: 'Italian',
  ru: 'Russian',
  sr: 'Serbian',
  uk: 'Ukrainian',
  bho: 'Bhojpuri',
  mas: 'Maasai',
}
function wmtReplay(docs: Map<string, WmtDocs>): ReplayFile {
  const models = mapped('wmt25-general-mt')
  const systems = [...docs.keys()]
  const common = [...(docs.get(systems[0] ?? '')?.keys() ?? [])]
    .filter((key) => systems.every((s) => docs.get(s)?.has(key)))
    .sort()
  const language = (code: string): string => LANGUAGE_NAMES[code.split('_')[0] ?? ''] ?? code
  return {
    source: 'wmt25-general-mt',
    licence: 'no licence file in the source repository: only per-document aggregates are kept',
    attribution:
      'WMT25 General MT shared task, wmt-conference/wmt25-general-mt data/automatic_scores @ ebae87369; per document, the mean over segments of GEMBA-ESA-CMDA and GEMBA-ESA-GPT4.1, divided by 100',
    task: 'translation',
    models: systems.map((s) => models[s] ?? s),
    items: common.map((key) => {
      const [pair = '', domain = '', doc = ''] = key.split('#')
      const [from = '', to = ''] = pair.split('-')
      return {
        id: key,
        prompt: `Translate the following ${domain} document (${doc}) from ${language(from)} into ${language(to)}, keeping its paragraphs and tone.`,
        scores: Object.fromEntries(systems.map((s) => [models[s] ?? s, docs.get(s)?.get(key) ?? 0])),
      }
    }),
  }
}

mkdirSync(join(root, 'data/evidence/snapshots'), { recursive: true })
mkdirSync(join(root, 'bench/data/routing-replay'), { recursive: true })
write(lmarena())
write(livebench())
write(aider())
const swe = sweBench()
write(swe.snapshot)
write(vectara())
const wmt = wmt25()
write(wmt.snapshot)
for (const replay of [sweReplay(swe.results), wmtReplay(wmt.docs)]) {
  writeFileSync(
    join(root, 'bench/data/routing-replay', `${replay.source}.json`),
    `${JSON.stringify(replay)}\n`,
  )
  process.stdout.write(
    `replay ${replay.source}: ${replay.items.length} items × ${replay.models.length} models\n`,
  )
}
