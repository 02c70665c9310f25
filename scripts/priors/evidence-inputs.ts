import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TaskType } from '../../src/pipeline/analyze/types.js'
import { CATALOG } from '../../src/providers/catalog.js'

export interface SnapshotRow {
  model: string
  category: string
  value: number
  ci_low: number | null
  ci_high: number | null
}

export interface Snapshot {
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

/** Everything the priors are built from: data/evidence/ and the catalogue's free models. */
export function loadEvidenceInputs(evidenceDir: string): EvidenceInputs {
  const snapshotDir = join(evidenceDir, 'snapshots')
  return {
    snapshots: readdirSync(snapshotDir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => readJson<Snapshot>(join(snapshotDir, name))),
    aliases: readJson(join(evidenceDir, 'aliases.json')),
    taskMap: readJson(join(evidenceDir, 'task-map.json')),
    pools: readJson(join(evidenceDir, 'pools.json')),
    freeCatalogModels: Object.values(CATALOG)
      .filter((entry) => entry.tier !== 'paid')
      .flatMap((entry) => [entry.model, entry.fastModel, entry.strongModel]),
  }
}
