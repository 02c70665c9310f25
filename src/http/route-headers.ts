import { routeTaskOf } from '../pipeline/analyze/route-task-of.js'
import type { AffinityOutcome, AttemptRecord, Candidate, OutcomeNotes, RoutePlan } from '../pipeline/run.js'

/** `new`, `kept` or `moved (<reason>)`. */
function describeAffinity(outcome: AffinityOutcome): string {
  return outcome.decision === 'moved' ? `moved (${outcome.reason})` : outcome.decision
}

/** The x-smartsplit-* headers that say what SmartSplit did with a request. */
export function routeHeaders(
  plan: RoutePlan | null,
  candidate: Candidate | null,
  attempts: readonly AttemptRecord[],
  notes: OutcomeNotes = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-smartsplit-provider': candidate?.provider.name ?? 'none',
    'x-smartsplit-model': candidate?.model ?? 'none',
  }
  if (plan !== null) {
    headers['x-smartsplit-mode'] = plan.mode
    headers['x-smartsplit-route'] = plan.route
    headers['x-smartsplit-task'] = routeTaskOf(plan.analysis)
    headers['x-smartsplit-complexity'] = plan.analysis.complexity
  }
  if (attempts.length > 0) {
    headers['x-smartsplit-attempts'] = attempts
      .map((attempt) => `${attempt.provider}/${attempt.model}=${attempt.outcome}`)
      .join(', ')
  }
  if (notes.subtasks !== undefined) headers['x-smartsplit-subtasks'] = notes.subtasks
  if (notes.synthesis !== undefined) headers['x-smartsplit-synthesis'] = notes.synthesis
  if (notes.enrich !== undefined) headers['x-smartsplit-enrich'] = notes.enrich
  if (notes.affinity !== undefined) headers['x-smartsplit-affinity'] = describeAffinity(notes.affinity)
  if (notes.completion !== undefined) headers['x-smartsplit-completion'] = notes.completion
  // Pinned model ids come from the client: a non-Latin-1 or control character would make writeHead throw.
  for (const name in headers) {
    const value = headers[name]!
    if (UNSENDABLE.test(value)) headers[name] = value.replace(UNSENDABLE_ALL, '?')
  }
  return headers
}

const UNSENDABLE = /[^\x20-\x7e]/
const UNSENDABLE_ALL = /[^\x20-\x7e]/g
