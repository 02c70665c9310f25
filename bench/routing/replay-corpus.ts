import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Random } from '../../src/lib/random.js'
import { TASK_TYPES, type TaskType } from '../../src/pipeline/analyze/types.js'
import type { OutcomeView } from './outcome-views.js'

// What the routing replay sends and how its answers are scored. The prompts are our own TRAIN prompts
// (eval/data/train.jsonl, never dev, validation or test), each with the task it is labelled with. No
// model's answer to them is on record (no LLM is reachable here), so each answer's outcome is SIMULATED
// from the published aggregate rates (outcome-views.ts): per prompt and view one difficulty u ~ U(0,1) is
// drawn, and a model succeeds when u < its rate. Models therefore agree on which prompts are hard, and a
// model's success rate over many prompts is its published figure: these are not per-prompt data.
// Real per-prompt records may be added locally (bench/data/local/routing-replay/, git-ignored, written by
// `npm run replay:records`); they are never committed and never in CI.

export const LOCAL_RECORDS_DIR = 'bench/data/local/routing-replay'

export interface ReplayItem {
  id: string
  /** The task the item is labelled with (the analyzer may decide otherwise when it routes it). */
  task: TaskType
  source: string
  prompt: string
  /** View id → canonical model id → outcome 0..1 for this prompt (only models the view covers). */
  outcomes: ReadonlyMap<string, ReadonlyMap<string, number>>
}

export interface ReplayCorpus {
  byTask: Record<TaskType, ReplayItem[]>
  views: OutcomeView[]
  /** Local per-prompt record files found (none in CI), with their licence and attribution. */
  recorded: { source: string; licence: string; attribution: string; items: number }[]
  /** Share of each task among the TRAIN prompts: the task mix of the simulated arrivals. */
  taskMix: Record<TaskType, number>
}

interface RecordFile {
  source: string
  licence: string
  attribution: string
  task: TaskType
  items: { id: string; prompt: string; scores: Record<string, number> }[]
}

function simulatedOutcomes(views: readonly OutcomeView[], random: Random) {
  return new Map(
    views.map((view) => {
      const difficulty = random.next()
      return [view.id, new Map([...view.rates].map(([model, rate]) => [model, difficulty < rate ? 1 : 0]))]
    }),
  )
}

/** Each local record file's items join its task's prompts, scored by a view of their own. */
function localRecords(root: string, byTask: Record<TaskType, ReplayItem[]>) {
  const dir = join(root, LOCAL_RECORDS_DIR)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as RecordFile
      const id = `${file.task}: ${file.source}/recorded`
      const sums = new Map<string, number>()
      for (const item of file.items) {
        const scores = new Map(Object.entries(item.scores))
        for (const [model, score] of scores) sums.set(model, (sums.get(model) ?? 0) + score)
        byTask[file.task].push({
          id: item.id,
          task: file.task,
          source: id,
          prompt: item.prompt,
          outcomes: new Map([[id, scores]]),
        })
      }
      const view: OutcomeView = {
        id,
        task: file.task,
        kind: 'recorded',
        outcome: `per-prompt record (${file.source})`,
        rates: new Map([...sums].map(([model, sum]) => [model, sum / file.items.length])),
      }
      const { items, task: _task, ...about } = file
      return { view, about: { ...about, items: items.length } }
    })
}

/** Views from data/evidence, prompts from eval/data/train.jsonl, outcomes drawn with `random`. */
export function loadReplayCorpus(root: string, views: readonly OutcomeView[], random: Random): ReplayCorpus {
  const byTask = Object.fromEntries(TASK_TYPES.map((task) => [task, [] as ReplayItem[]])) as Record<
    TaskType,
    ReplayItem[]
  >
  const train = readFileSync(join(root, 'eval/data/train.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as { task: TaskType; text: string })
  const counts = new Map<TaskType, number>()
  train.forEach((row, index) => {
    counts.set(row.task, (counts.get(row.task) ?? 0) + 1)
    byTask[row.task].push({
      id: `train-${index}`,
      task: row.task,
      source: 'train-panel',
      prompt: row.text,
      outcomes: simulatedOutcomes(
        views.filter((view) => view.task === row.task),
        random,
      ),
    })
  })
  const local = localRecords(root, byTask)
  const taskMix = Object.fromEntries(
    TASK_TYPES.map((task) => [task, (counts.get(task) ?? 0) / train.length]),
  ) as Record<TaskType, number>
  return {
    byTask,
    views: [...views, ...local.map((l) => l.view)],
    recorded: local.map((l) => l.about),
    taskMix,
  }
}
