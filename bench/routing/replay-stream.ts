import type { Random } from '../../src/lib/random.js'
import { TASK_TYPES, type TaskType } from '../../src/pipeline/analyze/types.js'
import type { ReplayCorpus, ReplayItem } from './replay-corpus.js'

export interface Arrival {
  atMs: number
  item: ReplayItem
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * One working day of a single user: a request every `intervalMs` from `startMs` for `durationMs`, its task
 * drawn from the corpus' task mix, its item the next of that task's shuffled items (cycling when spent).
 */
export function replayStream(
  corpus: ReplayCorpus,
  random: Random,
  options: { startMs: number; durationMs: number; intervalMs: number },
): Arrival[] {
  const queues = new Map(TASK_TYPES.map((task) => [task, shuffled(corpus.byTask[task], random)]))
  const cursor = new Map<TaskType, number>()
  const cumulative = TASK_TYPES.map((_, i) =>
    TASK_TYPES.slice(0, i + 1).reduce((sum, task) => sum + corpus.taskMix[task], 0),
  )
  const arrivals: Arrival[] = []
  for (let atMs = options.startMs; atMs < options.startMs + options.durationMs; atMs += options.intervalMs) {
    const draw = random.next() * (cumulative.at(-1) ?? 1)
    const task = TASK_TYPES[cumulative.findIndex((edge) => draw < edge)] ?? 'general'
    const queue = queues.get(task) ?? []
    if (queue.length === 0) continue
    const index = cursor.get(task) ?? 0
    cursor.set(task, index + 1)
    arrivals.push({ atMs, item: queue[index % queue.length]! })
  }
  return arrivals
}
