// `npm run replay:records -- --mirror DIR`: real per-prompt outcomes for the routing replay, written to
// bench/data/local/routing-replay/ (git-ignored: never committed, never in CI). DIR holds a local snapshot
// of SWE-bench/swe-bench.github.io as DIR/SWE-bench+swe-bench.github.io/repo (a git directory, as the
// search tool's fetch lays it out, or a clone); the file is read at the commit the evidence cites.
// What is kept: per SWE-bench Verified instance, whether each mapped model's bash-only run resolved it
// (CC BY-NC 4.0, SWE-bench team), and a one-sentence request written from the instance id, since the
// board does not carry the issue text. `npm run bench -- --only routing` scores these in a view of their own.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { LOCAL_RECORDS_DIR } from '../bench/routing/replay-corpus.js'
import { canonicalOf } from './priors/category-rates.js'

const REPO = 'SWE-bench/swe-bench.github.io'
const COMMIT = 'f1176b6'
const PATH = 'data/leaderboards.json'
/** The board's names of the runs whose models the evidence maps (routing-evidence.md names them shorter). */
const RUNS: Readonly<Record<string, string>> = {
  'Qwen3-Coder 480B/A35B Instruct': 'Qwen3-Coder',
  'Gemini 2.5 Pro (2025-05-06)': 'Gemini 2.5 Pro',
  'Gemini 2.5 Flash (2025-04-17)': 'Gemini 2.5 Flash',
  'Kimi K2 Instruct': 'Kimi K2',
  'gpt-oss-120b': 'gpt-oss-120b',
}

interface BoardRun {
  name: string
  per_instance_details?: Record<string, { resolved: boolean }>
}

const { values: args } = parseArgs({ options: { mirror: { type: 'string' } } })
if (args.mirror === undefined)
  throw new Error('--mirror DIR is required (the folder holding owner+name/repo)')
const root = join(import.meta.dirname, '..')
const gitDir = join(args.mirror, REPO.replace('/', '+'), 'repo')
const board = JSON.parse(
  execFileSync('git', ['-C', gitDir, 'show', `${COMMIT}:${PATH}`], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  }),
) as { leaderboards: { name: string; results: BoardRun[] }[] }
const aliases = JSON.parse(readFileSync(join(root, 'data/evidence/aliases.json'), 'utf8')) as {
  sources: Record<string, Record<string, string | null>>
}
const alias = aliases.sources['swe-bench-bash-only'] ?? {}
const runs = (board.leaderboards.find((b) => b.name === 'bash-only')?.results ?? []).flatMap((run) => {
  const short = RUNS[run.name]
  const model = short === undefined ? null : canonicalOf(alias, short)
  return model === null || run.per_instance_details === undefined
    ? []
    : [{ model, details: run.per_instance_details }]
})
if (runs.length === 0)
  throw new Error(`no mapped bash-only run with per-instance results in ${REPO}@${COMMIT}`)
const ids = Object.keys(runs[0]?.details ?? {}).sort()
const items = ids.map((id) => {
  const [owner = '', rest = ''] = id.split('__')
  return {
    id,
    prompt: `In the ${owner}/${rest.replace(/-\d+$/, '')} repository, fix the bug reported in issue ${id}: the failing tests must pass and the existing ones keep passing. Find the cause in the code, write the patch, and explain the fix.`,
    scores: Object.fromEntries(runs.map((r) => [r.model, r.details[id]?.resolved === true ? 1 : 0])),
  }
})
const out = join(root, LOCAL_RECORDS_DIR)
mkdirSync(out, { recursive: true })
writeFileSync(
  join(out, 'swe-bench-bash-only.json'),
  `${JSON.stringify({
    source: 'swe-bench-bash-only',
    licence: 'CC BY-NC 4.0',
    attribution: `SWE-bench team, ${REPO} ${PATH} @ ${COMMIT} (bash-only board, per_instance_details.resolved)`,
    task: 'code',
    items,
  })}\n`,
)
process.stdout.write(`${items.length} instances × ${runs.map((r) => r.model).join(', ')} → ${out}\n`)
