// Scores the analyzer and the splitter on four labeled splits (eval/data/README.md): train-style,
// dev, validation and the untouched test split, after checking that no prompt is shared between
// splits. Times the analysis. Writes eval/results.json and the "Analyzer and splitter" section of
// BENCHMARKS.md. Reads nothing outside the repository.
//
//   npm run eval                         all splits; exits 1 on any train/dev/validation/test overlap
//   npm run eval -- --no-test            leave the test split out (while developing; writes nothing)
//   npm run eval -- --errors[=<split>]   also print the rows each split gets wrong
//   npm run eval -- <file.jsonl>         score one labeled file alone (writes nothing)
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { analyzeRequest, splitIntoParts } from '../src/pipeline/analyze/index.js'
import { findOverlaps, type SplitText } from './find-overlaps.js'
import { LabeledRow, readJsonl, TrainingRow, trainingFiles } from './labeled-rows.js'
import { makeAgentRequest } from './make-agent-request.js'
import { percentile } from './metrics.js'
import { renderMarkdown, renderSummary, type Timing } from './render-report.js'
import { asRequest, type Prediction, predict, type Scores, scoreSplit } from './score-split.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const DATA = join(ROOT, 'eval/data')
/** Training files: the committed own prompts and any locally prepared public ones (not committed). */
const TRAINING_FILES = trainingFiles(DATA)
const SPLITS = [
  { split: 'train-style', file: join(DATA, 'train-style.jsonl') },
  { split: 'dev', file: join(DATA, 'dev.jsonl') },
  { split: 'validation', file: join(DATA, 'validation.jsonl') },
  { split: 'test', file: join(DATA, 'test.jsonl') },
] as const

interface ScoredSplit {
  rows: LabeledRow[]
  predictions: Prediction[]
  scores: Scores
}

function evaluate(split: string, file: string): ScoredSplit {
  const rows = readJsonl(file, LabeledRow)
  const predictions = rows.map(predict)
  return { rows, predictions, scores: scoreSplit(split, file.replace(`${ROOT}/`, ''), rows, predictions) }
}

/** Every prompt of every split, training included; exits 1 when two splits share one. */
function checkOverlaps(splits: ReadonlyArray<{ split: string; file: string }>): void {
  const texts: SplitText[] = []
  for (const file of TRAINING_FILES) {
    readJsonl(file, TrainingRow).forEach((row, i) => {
      texts.push({ split: 'train', id: `${file.replace(`${DATA}/`, '')}:${i + 1}`, text: row.text })
    })
  }
  for (const { split, file } of splits) {
    for (const row of readJsonl(file, LabeledRow)) texts.push({ split, id: row.id, text: row.prompt })
  }
  const overlaps = findOverlaps(texts)
  if (overlaps.length === 0) {
    console.log(
      `overlap check: ${texts.length} prompts in ${splits.length + 1} splits, no exact or near duplicate across splits`,
    )
    return
  }
  for (const { a, b, similarity } of overlaps.slice(0, 50)) {
    console.error(
      `overlap ${similarity.toFixed(2)}: ${a.split} ${a.id} ~ ${b.split} ${b.id}: ${a.text.slice(0, 80).replace(/\s+/g, ' ')}`,
    )
  }
  console.error(
    `${overlaps.length} prompts shared between splits (exact or 6-gram Jaccard ≥ 0.5): fix the data`,
  )
  process.exit(1)
}

/** Rows whose task is wrong or whose split differs from gold. */
function printErrors(name: string, { rows, predictions }: ScoredSplit): void {
  console.log(`\nerrors in ${name}:`)
  rows.forEach((row, i) => {
    const p = predictions[i]!
    const goldTypes = row.parts?.map((part) => part.task) ?? []
    const partsWrong = row.parts !== null ? goldTypes.join('+') !== p.parts.join('+') : p.parts.length >= 2
    if (row.task === p.task && !partsWrong) return
    const goldParts = row.parts ? ` [${goldTypes.join('+')}]` : ''
    const predParts = p.parts.length >= 2 ? ` [${p.parts.join('+')}]` : ''
    console.log(
      `${row.id} gold=${row.task}${goldParts} pred=${p.task}${predParts} | ${row.prompt.slice(0, 140).replace(/\s+/g, ' ')}`,
    )
  })
}

/** Wall-clock per analysis: each dev prompt, and a 30 KB coding-agent request with 10 tools. */
function measureTiming(rows: LabeledRow[]): Timing {
  const requests = rows.map((row) => asRequest(row.prompt))
  for (const request of requests) analyzeRequest(request)
  const small: number[] = []
  for (let round = 0; round < 5; round++) {
    for (const request of requests) {
      const start = performance.now()
      const analysis = analyzeRequest(request)
      splitIntoParts(request.messages[0]?.content as string, analysis)
      small.push(performance.now() - start)
    }
  }
  const agent = makeAgentRequest()
  for (let i = 0; i < 200; i++) analyzeRequest(agent)
  const agentTimes: number[] = []
  for (let i = 0; i < 2_000; i++) {
    const start = performance.now()
    analyzeRequest(agent)
    agentTimes.push(performance.now() - start)
  }
  small.sort((a, b) => a - b)
  agentTimes.sort((a, b) => a - b)
  return {
    smallP50Ms: percentile(small, 50),
    smallP99Ms: percentile(small, 99),
    agentP50Ms: percentile(agentTimes, 50),
    agentP99Ms: percentile(agentTimes, 99),
    agentBytes: JSON.stringify(agent).length,
  }
}

/** Replaces the eval section of BENCHMARKS.md, leaving the rest of the file alone. */
function writeBenchmarksSection(markdown: string): void {
  const file = join(ROOT, 'BENCHMARKS.md')
  const START = '<!-- eval:start -->'
  const END = '<!-- eval:end -->'
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  const startAt = existing.indexOf(START)
  const endAt = existing.indexOf(END)
  const section = `${START}\n${markdown}\n${END}`
  writeFileSync(
    file,
    startAt >= 0 && endAt > startAt
      ? `${existing.slice(0, startAt)}${section}${existing.slice(endAt + END.length)}`
      : `${existing.trimEnd()}\n\n${section}\n`,
  )
}

function main(): void {
  const args = process.argv.slice(2)
  const fileArg = args.find((arg) => !arg.startsWith('--'))
  const errorsArg = args.find((arg) => arg.startsWith('--errors'))
  const errorsIn = errorsArg?.split('=')[1]
  if (fileArg !== undefined) {
    const scored = evaluate('file', resolve(fileArg))
    console.log(renderSummary(scored.scores))
    if (errorsArg !== undefined) printErrors(fileArg, scored)
    return
  }
  const withTest = !args.includes('--no-test')
  const splits = SPLITS.filter(({ split, file }) => (withTest || split !== 'test') && existsSync(file))
  checkOverlaps(splits)
  const scored = splits.map(({ split, file }) => ({ split, ...evaluate(split, file) }))
  for (const { scores } of scored) console.log(renderSummary(scores))
  for (const s of scored)
    if (errorsArg !== undefined && (errorsIn === undefined || errorsIn === s.split)) printErrors(s.split, s)
  const dev = scored.find(({ split }) => split === 'dev')
  const timing = measureTiming(dev?.rows ?? [])
  console.log(
    `analysis time: dev prompts p50 ${timing.smallP50Ms.toFixed(3)} ms p99 ${timing.smallP99Ms.toFixed(3)} ms; agent request p50 ${timing.agentP50Ms.toFixed(3)} ms p99 ${timing.agentP99Ms.toFixed(3)} ms`,
  )
  if (!withTest) return
  const results = { splits: Object.fromEntries(scored.map(({ split, scores }) => [split, scores])), timing }
  writeFileSync(join(ROOT, 'eval/results.json'), formatJson(results))
  writeBenchmarksSection(
    renderMarkdown(
      scored.map(({ scores }) => scores),
      timing,
    ),
  )
}

/** JSON laid out as the repo's formatter would: short arrays of numbers or strings on one line. */
function formatJson(value: unknown): string {
  const rounded = JSON.stringify(
    value,
    (_key, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(4)) : v),
    2,
  )
  const collapsed = rounded.replace(/\[\s*([^[\]{}]*?)\s*\]/g, (whole, items: string, offset: number) => {
    const line = `[${items.split(/,\s*/).join(', ')}]`
    const prefixLength = offset - (rounded.lastIndexOf('\n', offset) + 1)
    // 110 is biome's line width; the trailing comma may follow.
    return prefixLength + line.length + 1 <= 110 ? line : whole
  })
  return `${collapsed}\n`
}

main()
