import type { RequestOrigin, ResolvedPlan, StreamOutcome } from '../types.js'
import { runParts } from './run-parts.js'
import { type ExecuteDeps, runTask } from './run-task.js'

/**
 * Runs a prepared plan and yields its one answer as a stream, whatever the client asked for: collecting
 * it into one JSON response is the HTTP edge's job. `wholeAnswer` (a client that waits for all of it)
 * lets the quality gate judge each complete answer before it is committed.
 */
export async function execute(
  resolved: ResolvedPlan,
  run: { origin: RequestOrigin; wholeAnswer: boolean },
  deps: ExecuteDeps,
  signal: AbortSignal,
): Promise<StreamOutcome> {
  if (resolved.kind === 'parts') return runParts(resolved, run, deps, signal)
  const outcome = await runTask(
    {
      task: resolved.task,
      startedAtMs: run.origin.receivedAtMs,
      wholeAnswer: run.wholeAnswer,
      report: { plan: resolved.plan, origin: run.origin },
    },
    deps,
    signal,
  )
  return { ...outcome, notes: { ...resolved.notes, ...outcome.notes } }
}
