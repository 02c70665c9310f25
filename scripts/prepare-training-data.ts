// Builds the training set and the train-style split from the prompt collections, so no prompt is
// shared between training and any eval split (exact or word 6-gram Jaccard ≥ 0.5, the check that
// `npm run eval` enforces):
//
//   eval/data/prompts/*.jsonl      own prompts (committed): hand-written and template-expanded
//   eval/data/external/*.jsonl     public prompts prepared locally (scripts/import-public-prompts.ts),
//                                  not committed; deduplicated in place
//   → eval/data/train.jsonl        what scripts/train-analyzer.ts trains on (own prompts)
//   → eval/data/train-style.jsonl  1 in 20 own prompts, held out: the training style, never trained on
//
// Eval splits yield to each other in a fixed order: a validation row that repeats a dev row, or a
// test row that repeats a dev row, is dropped (dev is the shared set and stays whole; the test split
// keeps a row it shares only with validation, which is dropped there instead).
//
//   npm run prepare:training
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findOverlaps, type SplitText } from '../eval/find-overlaps.js'
import { LabeledRow, readJsonl, TrainingRow } from '../eval/labeled-rows.js'
import { detectLanguages } from '../src/pipeline/analyze/detect-languages.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const DATA = join(ROOT, 'eval/data')
const HOLD_OUT_ONE_IN = 20

const jsonlFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.jsonl'))
        .sort()
        .map((name) => join(dir, name))
    : []

const writeJsonl = (file: string, rows: unknown[]): void => {
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length > 0 ? '\n' : ''))
}

/** Drops rows of a labeled file by id, keeping every other line exactly as it was written. */
function dropRows(file: string, ids: ReadonlySet<string>): void {
  if (ids.size === 0) return
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
  const kept = lines.filter((line) => !ids.has(LabeledRow.parse(JSON.parse(line)).id))
  writeFileSync(file, `${kept.join('\n')}\n`)
}

const WORD = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[\p{L}\p{N}]+/gu
const wordSet = (text: string): Set<string> => new Set(text.toLowerCase().match(WORD) ?? [])

/**
 * Training rows that reuse a test prompt's words (word-set Jaccard ≥ 0.6), a stricter rule than the
 * 6-gram check: the test split and the templates were written by one hand, and a template filled
 * with the same words ("reverse a linked list in Rust") would let the test measure recall, not reach.
 */
function closeToTest(trainTexts: string[], testTexts: string[]): Set<number> {
  const tests = testTexts.map(wordSet)
  const close = new Set<number>()
  trainTexts.forEach((text, i) => {
    const words = wordSet(text)
    for (const test of tests) {
      let shared = 0
      for (const word of words) if (test.has(word)) shared++
      if (shared / (words.size + test.size - shared) >= 0.6) {
        close.add(i)
        return
      }
    }
  })
  return close
}

/** Indexes (into `texts`) of the rows of `loser` that overlap any row of the other splits given. */
function overlapping(texts: SplitText[], loser: string, winners: ReadonlySet<string>): Set<string> {
  const ids = new Set<string>()
  for (const { a, b } of findOverlaps(texts.filter((t) => t.split === loser || winners.has(t.split)))) {
    if (a.split === loser && winners.has(b.split)) ids.add(a.id)
    if (b.split === loser && winners.has(a.split)) ids.add(b.id)
  }
  return ids
}

function languageTag(row: TrainingRow): string[] {
  const fromSource = row.source?.match(/^templates:(\w+)$/)?.[1]
  const lang = fromSource ?? detectLanguages(row.text)[0] ?? 'en'
  return lang === 'en' ? [] : [`non_english:${lang}`]
}

interface EvalSplits {
  dev: LabeledRow[]
  validation: LabeledRow[]
  test: LabeledRow[]
}

const evalTexts = (splits: EvalSplits): SplitText[] =>
  Object.entries(splits).flatMap(([split, rows]: [string, LabeledRow[]]) =>
    rows.map((row) => ({ split, id: row.id, text: row.prompt })),
  )

/** Eval splits without rows that repeat another's (dev stays whole); returns the ids dropped. */
function separateEvalSplits(splits: EvalSplits): { validation: Set<string>; test: Set<string> } {
  const validation = overlapping(evalTexts(splits), 'validation', new Set(['dev', 'test']))
  splits.validation = splits.validation.filter((row) => !validation.has(row.id))
  const test = overlapping(evalTexts(splits), 'test', new Set(['dev']))
  splits.test = splits.test.filter((row) => !test.has(row.id))
  return { validation, test }
}

/** The own prompts, exact duplicates out. */
function readOwnPrompts(): TrainingRow[] {
  const seen = new Set<string>()
  return jsonlFiles(join(DATA, 'prompts'))
    .flatMap((file) => readJsonl(file, TrainingRow))
    .filter((row) => {
      const key = row.text.trim().toLowerCase()
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
}

const isHeldOut = (row: TrainingRow): boolean =>
  createHash('sha256').update(row.text).digest().readUInt32BE(0) % HOLD_OUT_ONE_IN === 0

/** 1 in 20 own prompts (by hash) as the train-style split, minus any that repeat an eval prompt. */
function holdOutTrainStyle(own: TrainingRow[], splits: EvalSplits): LabeledRow[] {
  const heldOut = own.filter(isHeldOut)
  const heldOutTexts = heldOut.map((row, i) => ({ split: 'train-style', id: String(i), text: row.text }))
  const repeatsEval = overlapping(
    [...evalTexts(splits), ...heldOutTexts],
    'train-style',
    new Set(['dev', 'validation', 'test']),
  )
  return heldOut
    .filter((_, i) => !repeatsEval.has(String(i)))
    .map((row, i) => ({
      id: `train-style-${String(i + 1).padStart(4, '0')}`,
      prompt: row.text,
      task: row.task,
      parts: null,
      source: row.source ?? 'own',
      tags: languageTag(row),
    }))
}

function main(): void {
  const splits: EvalSplits = {
    dev: readJsonl(join(DATA, 'dev.jsonl'), LabeledRow),
    validation: readJsonl(join(DATA, 'validation.jsonl'), LabeledRow),
    test: readJsonl(join(DATA, 'test.jsonl'), LabeledRow),
  }
  const droppedEval = separateEvalSplits(splits)
  const own = readOwnPrompts()
  const trainStyle = holdOutTrainStyle(own, splits)
  const testTexts = splits.test.map((row) => row.prompt)
  const nearTest = closeToTest(
    own.map((row) => row.text),
    testTexts,
  )
  const candidates = own.filter((row, i) => !isHeldOut(row) && !nearTest.has(i))
  const external = jsonlFiles(join(DATA, 'external')).map((file) => ({
    file,
    rows: readJsonl(file, TrainingRow),
  }))
  const texts: SplitText[] = [
    ...evalTexts(splits),
    ...trainStyle.map((row) => ({ split: 'train-style', id: row.id, text: row.prompt })),
    ...candidates.map((row, i) => ({ split: 'train', id: `own:${i}`, text: row.text })),
    ...external.flatMap(({ rows }, f) =>
      rows.map((row, i) => ({ split: 'train', id: `ext${f}:${i}`, text: row.text })),
    ),
  ]
  const dropFromTrain = overlapping(texts, 'train', new Set(['dev', 'validation', 'test', 'train-style']))
  const train = candidates.filter((_, i) => !dropFromTrain.has(`own:${i}`))
  writeJsonl(join(DATA, 'train.jsonl'), train)
  writeJsonl(join(DATA, 'train-style.jsonl'), trainStyle)
  dropRows(join(DATA, 'validation.jsonl'), droppedEval.validation)
  dropRows(join(DATA, 'test.jsonl'), droppedEval.test)
  external.forEach(({ file, rows }, f) => {
    const near = closeToTest(
      rows.map((row) => row.text),
      testTexts,
    )
    writeJsonl(
      file,
      rows.filter((_, i) => !dropFromTrain.has(`ext${f}:${i}`) && !near.has(i)),
    )
  })
  console.log(
    `train ${train.length} (${candidates.length - train.length} own dropped as overlapping an eval split, ${nearTest.size} as close to a test prompt), train-style ${trainStyle.length}, ` +
      `validation −${droppedEval.validation.size}, test −${droppedEval.test.size}`,
  )
}

main()
