// Turns public prompt collections into training rows under eval/data/external/ (git-ignored: the
// public texts stay out of the repository; only the weights trained on them are committed).
// Provenance and licence of each source: eval/data/sources/. Run scripts/prepare-training-data.ts
// afterwards, which removes rows that overlap an eval split.
//
//   npm run import:public -- --gsm8k <grade-school-math git dir or checkout>
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'eval/data/external')
const GSM8K_ROWS = 700

/** A file of a checkout, or of a bare git directory at HEAD. */
function readSourceFile(source: string, path: string): string {
  const inTree = join(source, path)
  if (existsSync(inTree)) return readFileSync(inTree, 'utf8')
  return execFileSync('git', ['--git-dir', source, 'show', `HEAD:${path}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
}

const Gsm8kItem = z.object({ question: z.string() })

/** GSM8K train (MIT): grade-school word problems, every k-th item for a spread sample; all math. */
function importGsm8k(source: string): void {
  const items = readSourceFile(source, 'grade_school_math/data/train.jsonl')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => Gsm8kItem.parse(JSON.parse(line)).question)
  const step = Math.max(1, Math.floor(items.length / GSM8K_ROWS))
  const rows = items
    .filter((_, i) => i % step === 0)
    .slice(0, GSM8K_ROWS)
    .map((text, i) => ({ task: 'math', text, source: `gsm8k-train:${i * step}` }))
  mkdirSync(OUT, { recursive: true })
  writeFileSync(join(OUT, 'gsm8k-train.jsonl'), `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`)
  console.log(`gsm8k-train: ${rows.length} rows`)
}

const args = process.argv.slice(2)
const gsm8k = args[args.indexOf('--gsm8k') + 1]
if (!args.includes('--gsm8k') || gsm8k === undefined) {
  console.error('usage: npm run import:public -- --gsm8k <grade-school-math git dir or checkout>')
  process.exit(2)
}
importGsm8k(gsm8k)
