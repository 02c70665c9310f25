// Scores the analyzer and the splitter on the labeled eval set (README of ../shared/eval) and times
// the analysis. Without a file argument it also scores the own holdout (eval/data/holdout-own.jsonl,
// written without seeing train or dev data), if present. Writes eval/results.json and the
// "Analyzer and splitter" section of BENCHMARKS.md.
//
//   npm run eval [-- <file.jsonl>] [--errors]     SMARTSPLIT_EVAL_FILE also sets the file
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { analyzeRequest, splitIntoParts, TASK_TYPES } from '../src/pipeline/analyze/index.js'
import type { ChatRequest } from '../src/wire/openai/types.js'
import { makeAgentRequest } from './make-agent-request.js'
import {
  accuracy,
  bootstrapInterval,
  confusionMatrix,
  macroF1,
  multisetF1,
  perClassStats,
  percentile,
} from './metrics.js'
import { type EvalResults, renderOwnHoldout, renderReport, type Scores } from './render-report.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const Label = z.enum(TASK_TYPES)
const Row = z.object({
  id: z.string(),
  prompt: z.string(),
  task: Label,
  complexity: z.enum(['low', 'medium', 'high']),
  parts: z.array(z.object({ task: Label, text: z.string() })).nullable(),
  tags: z.array(z.string()).default([]),
})
type Row = z.infer<typeof Row>

interface Prediction {
  task: string
  complexity: string
  parts: string[]
}

interface ScoredFile {
  rows: Row[]
  predictions: Prediction[]
  scores: Scores
}

const DEV_FILE = '../shared/eval/dev.jsonl'
const OWN_HOLDOUT_FILE = join(ROOT, 'eval/data/holdout-own.jsonl')

const args = process.argv.slice(2)
const fileArg = args.find((arg) => !arg.startsWith('--'))
const evalFile = resolve(ROOT, fileArg ?? process.env.SMARTSPLIT_EVAL_FILE ?? DEV_FILE)
// An explicit file is scored alone, as before; the own holdout only rides along on the default run.
const withOwnHoldout = fileArg === undefined && evalFile !== OWN_HOLDOUT_FILE && existsSync(OWN_HOLDOUT_FILE)

function readRows(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => Row.parse(JSON.parse(line)))
}

const asRequest = (prompt: string): ChatRequest => ({
  model: 'auto',
  messages: [{ role: 'user', content: prompt }],
})

function predict(row: Row): Prediction {
  const analysis = analyzeRequest(asRequest(row.prompt))
  const parts = splitIntoParts(row.prompt, analysis)
  // Rule 1: a multi-part prompt's task is its first part's.
  return {
    task: parts?.[0]?.task ?? analysis.task,
    complexity: analysis.complexity,
    parts: parts?.map((part) => part.task) ?? [],
  }
}

const isSplit = (p: Prediction): boolean => p.parts.length >= 2
const typesOf = (row: Row): string[] => row.parts?.map((part) => part.task) ?? [row.task]
const predictedTypes = (p: Prediction): string[] => (isSplit(p) ? p.parts : [p.task])

function evaluateFile(file: string): ScoredFile {
  const rows = readRows(file)
  const predictions = rows.map(predict)
  return { rows, predictions, scores: score(file, rows, predictions) }
}

/** Task, complexity and split metrics of one labeled file. */
function score(file: string, rows: Row[], predictions: Prediction[]): Scores {
  const gold = rows.map((row) => row.task)
  const predicted = predictions.map((p) => p.task)
  const multiRows = rows.map((row, i) => ({ row, i })).filter(({ row }) => row.parts !== null)
  const singleRows = rows.map((row, i) => ({ row, i })).filter(({ row }) => row.parts === null)
  const hardNegatives = singleRows.filter(({ row }) => row.tags.includes('hard_negative'))

  const truePositives = multiRows.filter(({ i }) => isSplit(predictions[i]!)).length
  const predictedSplits = predictions.filter(isSplit).length
  const splitPrecision = predictedSplits === 0 ? 0 : truePositives / predictedSplits
  const splitRecall = multiRows.length === 0 ? 0 : truePositives / multiRows.length

  return {
    file,
    rows: rows.length,
    accuracy: accuracy(gold, predicted),
    accuracyCi: bootstrapInterval(rows.length, (ix) => accuracy(pick(gold, ix), pick(predicted, ix))),
    macroF1: macroF1(TASK_TYPES, gold, predicted),
    macroF1Ci: bootstrapInterval(rows.length, (ix) =>
      macroF1(TASK_TYPES, pick(gold, ix), pick(predicted, ix)),
    ),
    perClass: perClassStats(TASK_TYPES, gold, predicted),
    labels: TASK_TYPES,
    confusion: confusionMatrix(TASK_TYPES, gold, predicted),
    complexityAccuracy: accuracy(
      rows.map((row) => row.complexity),
      predictions.map((p) => p.complexity),
    ),
    partCountAccuracy:
      multiRows.filter(({ row, i }) => (row.parts?.length ?? 1) === Math.max(1, predictions[i]!.parts.length))
        .length / Math.max(1, multiRows.length),
    typedPartF1Multi: multisetF1(
      multiRows.map(({ row }) => typesOf(row)),
      multiRows.map(({ i }) => predictedTypes(predictions[i]!)),
    ),
    typedPartF1All: multisetF1(rows.map(typesOf), predictions.map(predictedTypes)),
    splitPrecision,
    splitRecall,
    splitF1:
      splitPrecision + splitRecall === 0
        ? 0
        : (2 * splitPrecision * splitRecall) / (splitPrecision + splitRecall),
    overSplitSingle:
      singleRows.filter(({ i }) => isSplit(predictions[i]!)).length / Math.max(1, singleRows.length),
    overSplitHardNegative:
      hardNegatives.filter(({ i }) => isSplit(predictions[i]!)).length / Math.max(1, hardNegatives.length),
  }
}

/** Rows whose task is wrong or whose split differs from gold, under a header naming the file. */
function printErrors(file: string, { rows, predictions }: ScoredFile): void {
  console.log(`\nerrors in ${basename(file)}:`)
  rows.forEach((row, i) => {
    const p = predictions[i]!
    const partsWrong = row.parts !== null ? typesOf(row).join('+') !== p.parts.join('+') : isSplit(p)
    if (row.task !== p.task || partsWrong) {
      const goldParts = row.parts ? ` [${typesOf(row).join('+')}]` : ''
      const predParts = isSplit(p) ? ` [${p.parts.join('+')}]` : ''
      console.log(
        `${row.id} gold=${row.task}${goldParts} pred=${p.task}${predParts} | ${row.prompt.slice(0, 140).replace(/\s+/g, ' ')}`,
      )
    }
  })
}

/** Replaces the eval section of BENCHMARKS.md (or appends it), leaving the rest of the file alone. */
function writeBenchmarksSection(markdown: string): void {
  const benchmarksFile = join(ROOT, 'BENCHMARKS.md')
  const START = '<!-- eval:start -->'
  const END = '<!-- eval:end -->'
  const section = `${START}\n${markdown}\n${END}`
  const existing = existsSync(benchmarksFile) ? readFileSync(benchmarksFile, 'utf8') : '# Benchmarks\n'
  const startAt = existing.indexOf(START)
  const endAt = existing.indexOf(END)
  const updated =
    startAt >= 0 && endAt > startAt
      ? `${existing.slice(0, startAt)}${section}${existing.slice(endAt + END.length)}`
      : `${existing.trimEnd()}\n\n${section}\n`
  writeFileSync(benchmarksFile, updated)
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

function pick<T>(values: T[], indices: number[]): T[] {
  return indices.map((i) => values[i]!)
}

/** Wall-clock per analysis: each eval prompt, and a 30 KB coding-agent request with 10 tools. */
function measureTiming(rows: Row[]): {
  smallP50Ms: number
  smallP99Ms: number
  agentP50Ms: number
  agentP99Ms: number
  agentBytes: number
} {
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

const dev = evaluateFile(evalFile)
// Timed on dev only (after its predictions warmed the analyzer), so the timing figures stay comparable.
const results: EvalResults = { ...dev.scores, timing: measureTiming(dev.rows) }
const ownHoldout = withOwnHoldout ? evaluateFile(OWN_HOLDOUT_FILE) : undefined

const report = renderReport(results)
const ownReport = ownHoldout ? renderOwnHoldout(ownHoldout.scores) : undefined
console.log(report.summary)
if (ownReport) console.log(`\n${ownReport.summary}`)
if (args.includes('--errors')) {
  printErrors(evalFile, dev)
  if (ownHoldout) printErrors(OWN_HOLDOUT_FILE, ownHoldout)
}

// Dev's fields stay at the top level so existing readers of results.json are unaffected.
writeFileSync(
  join(ROOT, 'eval/results.json'),
  formatJson(ownHoldout ? { ...results, ownHoldout: ownHoldout.scores } : results),
)
writeBenchmarksSection(ownReport ? `${report.markdown}\n\n${ownReport.markdown}` : report.markdown)
