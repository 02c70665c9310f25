import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TaskType } from '../../src/pipeline/analyze/types.js'
import { CATALOG } from '../../src/providers/catalog.js'

/** One published figure: one model, one category of one source, as routing-evidence.md gives it. */
export interface SnapshotRow {
  source: string
  /** The model as routing-evidence.md names it (a footnote or variant it gives is kept in brackets). */
  model: string
  category: string
  value: number
  /** 95 % bounds where the source published them (none of the vendored tables does). */
  ci_low: number | null
  ci_high: number | null
  as_of: string
  licence: string
  /** Where in routing-evidence.md the figure stands. */
  ref: string
}

export interface Snapshot {
  source: string
  title: string
  repo: string
  commit: string
  path: string
  licence: string
  as_of: string
  /** The file in this repository the rows were transcribed from. */
  via: string
  /** `rating`: Elo-like, turned into a win probability against `anchor`; `percent`: 0..100. */
  scale: 'rating' | 'percent'
  /** The row (model name) whose rating is the 0.5 of the win probability, on each category. */
  anchor: string | null
  /** Items behind each percentage, for a Wilson interval (null: unknown). */
  n: number | null
  /** Values closer than twice this are a tie, where the source states its resolution but no CIs. */
  tie_half_width: number | null
  derivation: string
  rows: SnapshotRow[]
}

export interface TaskMapEntry {
  source: string
  category: string
  weight: number
  reason: string
}

export interface EvidenceInputs {
  snapshots: Snapshot[]
  aliases: {
    catalog: Record<string, { model: string; note: string }>
    /** Catalogue models deliberately left without evidence, each with the reason. */
    unmapped_catalog?: Record<string, string>
    sources: Record<string, Record<string, string | null>>
  }
  taskMap: { tasks: Record<TaskType, TaskMapEntry[]> }
  pools: { pools: Record<string, { as_of: string; members: string[] }> }
  /** Every model string a free provider of the catalogue calls, in any tier. */
  freeCatalogModels: string[]
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T

/** The committed snapshots, one file per source, in name order. */
export function loadSnapshots(evidenceDir: string): Snapshot[] {
  const snapshotDir = join(evidenceDir, 'snapshots')
  return readdirSync(snapshotDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => readJson<Snapshot>(join(snapshotDir, name)))
}

/** Everything the priors are built from: data/evidence/ and the catalogue's free models. */
export function loadEvidenceInputs(evidenceDir: string): EvidenceInputs {
  return {
    snapshots: loadSnapshots(evidenceDir),
    aliases: readJson(join(evidenceDir, 'aliases.json')),
    taskMap: readJson(join(evidenceDir, 'task-map.json')),
    pools: readJson(join(evidenceDir, 'pools.json')),
    freeCatalogModels: Object.values(CATALOG)
      .filter((entry) => entry.tier !== 'paid')
      .flatMap((entry) => [entry.model, entry.fastModel, entry.strongModel]),
  }
}
