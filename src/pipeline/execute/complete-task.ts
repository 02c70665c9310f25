import { CompletionCollector } from '../../wire/collect.js'
import type { ChatCompletion } from '../../wire/openai/types.js'
import type { AttemptRecord } from '../attempts.js'
import type { ModelCaller } from '../ports.js'
import type { Candidate } from '../route/types.js'
import type { ResolvedTask } from '../types.js'
import { type ExecuteDeps, runTask } from './run-task.js'

export interface CompletedTask {
  completion: ChatCompletion
  candidate: Candidate
  attempts: AttemptRecord[]
}

/** One whole answer, checked before it is accepted; for parts of a split request and the planner. */
export async function completeTask(
  task: ResolvedTask,
  startedAtMs: number,
  deps: ExecuteDeps,
  signal: AbortSignal,
): Promise<CompletedTask> {
  const outcome = await runTask({ task, startedAtMs, wholeAnswer: true, report: null }, deps, signal)
  const collector = new CompletionCollector()
  for await (const chunk of outcome.chunks) collector.push(chunk)
  return { completion: collector.result(), candidate: outcome.candidate, attempts: outcome.attempts }
}

/** The model calls the LLM planner makes: one whole answer, no code expected, reported by nobody. */
export function createModelCaller(deps: ExecuteDeps): ModelCaller {
  return {
    async complete(request, candidates, signal) {
      const task = { request, candidates, check: { expectsCode: false } }
      return (await completeTask(task, deps.clock.nowMs(), deps, signal)).completion
    },
  }
}
