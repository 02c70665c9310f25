// `npm run snapshot:evidence`: data/evidence/routing-evidence.md (the steering team's evidence, vendored)
// → data/evidence/snapshots/<source>.json, one row per published figure. `--check` writes nothing and
// fails when a committed snapshot is not what the vendored file gives. Reads nothing outside the repository.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseRoutingEvidence, ROUTING_EVIDENCE } from './priors/parse-routing-evidence.js'

const { values: args } = parseArgs({ options: { check: { type: 'boolean', default: false } } })
const root = join(import.meta.dirname, '..')
const dir = join(root, 'data/evidence/snapshots')
const snapshots = parseRoutingEvidence(readFileSync(join(root, ROUTING_EVIDENCE), 'utf8'))
const files = new Map(snapshots.map((s) => [`${s.source}.json`, `${JSON.stringify(s, null, 2)}\n`]))
const out = (line: string): void => {
  process.stdout.write(`${line}\n`)
}

const committed = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.json')) : []
if (args.check) {
  const stale = [
    ...[...files].filter(
      ([name, text]) => !existsSync(join(dir, name)) || readFileSync(join(dir, name), 'utf8') !== text,
    ),
    ...committed.filter((name) => !files.has(name)).map((name) => [name, ''] as const),
  ].map(([name]) => name)
  if (stale.length > 0) {
    out(`not what ${ROUTING_EVIDENCE} gives: ${stale.join(', ')}; run npm run snapshot:evidence`)
    process.exit(1)
  }
  out(`snapshots match ${ROUTING_EVIDENCE}`)
  process.exit(0)
}
mkdirSync(dir, { recursive: true })
for (const name of committed) if (!files.has(name)) rmSync(join(dir, name))
for (const [name, text] of files) writeFileSync(join(dir, name), text)
for (const s of snapshots)
  out(`${s.source}: ${s.rows.length} rows (${s.repo} @ ${s.commit}, as of ${s.as_of})`)
