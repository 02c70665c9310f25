import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { publishedRates } from '../../scripts/priors/category-rates.js'
import { loadSnapshots } from '../../scripts/priors/evidence-inputs.js'
import type { TaskType } from '../../src/pipeline/analyze/types.js'

// What the routing replay scores a task's answers by: each source category the task map names for it
// (data/evidence/task-map.json), with each model's published figure on 0..1 as the rate at which its
// answers succeed (SWE-bench: resolved; Aider: passed; LiveBench: answered right; Vectara: no
// hallucination; LMArena: preferred to llama-3.3-70b's answer). Only models the figures cover have a rate.

export interface OutcomeView {
  /** `task: source/category` (the priors cite `source/category`). */
  id: string
  task: TaskType
  /** Simulated from published aggregates, or recorded per prompt (local records only). */
  kind: 'simulated' | 'recorded'
  /** What one success is, in words. */
  outcome: string
  /** Canonical model id → success rate 0..1. */
  rates: ReadonlyMap<string, number>
}

const OUTCOMES: Readonly<Record<string, string>> = {
  'lmarena-text': 'preferred to llama-3.3-70b (LMArena win probability)',
  'livebench-2026-01-08': 'answered right (LiveBench category mean)',
  'aider-polyglot': 'exercise passed (Aider pass@2)',
  'swe-bench-bash-only': 'issue resolved (SWE-bench bash-only % resolved)',
  'vectara-hallucination': 'summary free of hallucination (Vectara, 100 − rate)',
}

/** One view per (task, source category) of the task map, with the rates of the models it covers. */
export function loadOutcomeViews(root: string): OutcomeView[] {
  const evidenceDir = join(root, 'data/evidence')
  const snapshots = loadSnapshots(evidenceDir)
  const aliases = JSON.parse(readFileSync(join(evidenceDir, 'aliases.json'), 'utf8')) as {
    sources: Record<string, Record<string, string | null>>
  }
  const taskMap = JSON.parse(readFileSync(join(evidenceDir, 'task-map.json'), 'utf8')) as {
    tasks: Record<TaskType, { source: string; category: string }[]>
  }
  return (Object.entries(taskMap.tasks) as [TaskType, { source: string; category: string }[]][]).flatMap(
    ([task, entries]) =>
      entries.flatMap(({ source, category }) => {
        const snapshot = snapshots.find((s) => s.source === source)
        if (snapshot === undefined) return []
        return [
          {
            id: `${task}: ${source}/${category}`,
            task,
            kind: 'simulated' as const,
            outcome: OUTCOMES[source] ?? source,
            rates: publishedRates(snapshot, category, aliases.sources[source] ?? {}),
          },
        ]
      }),
  )
}
