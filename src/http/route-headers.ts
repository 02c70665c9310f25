import type { AttemptRecord } from '../pipeline/execute/types.js'
import type { Candidate } from '../pipeline/route/types.js'
import type { RoutePlan } from '../pipeline/run.js'

/** The x-smartsplit-* headers that say what SmartSplit did with a request. */
export function routeHeaders(
  plan: RoutePlan | null,
  candidate: Candidate | null,
  attempts: readonly AttemptRecord[],
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-smartsplit-provider': candidate?.provider.name ?? 'none',
    'x-smartsplit-model': candidate?.model ?? 'none',
  }
  if (plan !== null) headers['x-smartsplit-mode'] = plan.mode
  if (attempts.length > 0) {
    headers['x-smartsplit-attempts'] = attempts
      .map((attempt) => `${attempt.provider}/${attempt.model}=${attempt.outcome}`)
      .join(', ')
  }
  return headers
}
