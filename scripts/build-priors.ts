// `npm run build:priors`: data/evidence/ → src/pipeline/route/evidence-priors.generated.ts, then prints what
// the evidence does not cover and how each task's order changed against the previous file (the refresh diff).
// `--check` writes nothing and fails when the committed file is not what the data builds; `--table`
// writes nothing and prints the README's table of the priors for the catalogue's free providers.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { TASK_TYPES } from '../src/pipeline/analyze/types.js'
import { buildPriors, renderPriorsModule } from './priors/build-priors.js'
import { loadEvidenceInputs } from './priors/evidence-inputs.js'
import { catalogTierModels, renderPriorsTable } from './priors/render-priors-table.js'

const { values: args } = parseArgs({
  options: { check: { type: 'boolean', default: false }, table: { type: 'boolean', default: false } },
})
const root = join(import.meta.dirname, '..')
const target = join(root, 'src/pipeline/route/evidence-priors.generated.ts')
const { priors, report } = buildPriors(loadEvidenceInputs(join(root, 'data/evidence')))
const text = renderPriorsModule(priors)
const previous = existsSync(target) ? readFileSync(target, 'utf8') : ''
const out = (line: string): void => {
  process.stdout.write(`${line}\n`)
}

if (args.table) {
  out(renderPriorsTable(priors, catalogTierModels()))
  process.exit(0)
}
if (args.check) {
  if (previous !== text) {
    out(`${target} is out of date: run npm run build:priors`)
    process.exit(1)
  }
  out('evidence priors are up to date')
  process.exit(0)
}

const order = (source: string, task: string): string[] => {
  const block = source.split(`"${task}": {`)[1] ?? ''
  return [...block.matchAll(/^ {6}"([^"]+)": \{$/gm)].map((m) => m[1] ?? '')
}
writeFileSync(target, text)
out(`wrote ${target} (as_of ${priors.as_of}, sources ${priors.sources.map((s) => s.id).join(', ')})`)
for (const task of TASK_TYPES) {
  const ranked = Object.entries(priors.tasks[task])
    .sort(([, a], [, b]) => b.prior - a.prior)
    .map(([model, p]) => `${model} ${p.prior}`)
  out(`${task}: ${ranked.join(' > ')}`)
  if (report.uncovered[task].length > 0) out(`  no evidence: ${report.uncovered[task].join(', ')}`)
  const before = order(previous, task)
  if (before.length > 0 && before.join() !== order(text, task).join()) out('  changed since the last build')
}
if (report.skippedCategories.length > 0) out(`categories left out: ${report.skippedCategories.join('; ')}`)
if (report.unmappedCatalog.length > 0)
  out(`catalogue models with no alias: ${report.unmappedCatalog.join(', ')}`)
