import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TASK_TYPES, type TaskType } from '../../src/pipeline/analyze/types.js'

// What the routing replay can score. Public per-item records (bench/data/routing-replay/, written by
// `npm run snapshot:evidence`) give, per item, each covered model's quality on 0..1. Tasks no public record
// covers are drawn from our own TRAIN prompts (eval/data/train.jsonl, never dev or holdout): they route and
// spend quota like any request, but no model's answer to them was ever recorded (no LLM is reachable
// here), so they count as uncovered, never imputed.

export interface ReplayItem {
  id: string
  /** The task the source says the item is (the analyzer may decide otherwise when it routes it). */
  task: TaskType
  source: string
  prompt: string
  /** Canonical model id → quality 0..1; null when no model's answer to this prompt is on record. */
  scores: ReadonlyMap<string, number> | null
}

export interface ReplaySource {
  source: string
  licence: string
  attribution: string
  task: TaskType
  models: string[]
  items: number
}

export interface ReplayCorpus {
  byTask: Record<TaskType, ReplayItem[]>
  sources: ReplaySource[]
  /** Share of each task among the TRAIN prompts: the task mix of the simulated arrivals. */
  taskMix: Record<TaskType, number>
}

interface ReplayFile {
  source: string
  licence: string
  attribution: string
  task: TaskType
  models: string[]
  items: { id: string; prompt: string; scores: Record<string, number> }[]
}

export function loadReplayCorpus(root: string): ReplayCorpus {
  const dir = join(root, 'bench/data/routing-replay')
  const byTask = Object.fromEntries(TASK_TYPES.map((task) => [task, [] as ReplayItem[]])) as Record<
    TaskType,
    ReplayItem[]
  >
  const sources: ReplaySource[] = []
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ReplayFile
    const { items, ...meta } = file
    sources.push({ ...meta, items: items.length })
    for (const item of items)
      byTask[file.task].push({
        id: item.id,
        task: file.task,
        source: file.source,
        prompt: item.prompt,
        scores: new Map(Object.entries(item.scores)),
      })
  }
  const train = readFileSync(join(root, 'eval/data/train.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as { task: TaskType; text: string })
  const counts = new Map<TaskType, number>()
  train.forEach((row, index) => {
    counts.set(row.task, (counts.get(row.task) ?? 0) + 1)
    if (byTask[row.task].some((item) => item.scores !== null)) return
    byTask[row.task].push({
      id: `train-${index}`,
      task: row.task,
      source: 'train-panel',
      prompt: row.text,
      scores: null,
    })
  })
  const taskMix = Object.fromEntries(
    TASK_TYPES.map((task) => [task, (counts.get(task) ?? 0) / train.length]),
  ) as Record<TaskType, number>
  return { byTask, sources, taskMix }
}
