import type { z } from 'zod'

type Issue = z.core.$ZodIssue

/** The deepest issue wins a union: it comes from the branch that matched the input furthest. */
function deepestIssue(issue: Issue): { issue: Issue; path: PropertyKey[] } {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { issue, path: issue.path }
  let best: { issue: Issue; path: PropertyKey[] } | null = null
  for (const branch of issue.errors) {
    const first = branch[0]
    if (first === undefined) continue
    const candidate = deepestIssue(first)
    if (best === null || candidate.path.length > best.path.length) best = candidate
  }
  if (best === null) return { issue, path: issue.path }
  return { issue: best.issue, path: [...issue.path, ...best.path] }
}

/**
 * A zod issue as a client-facing `param` (`messages.0.content.1.text`) and message. Unions report every
 * branch's failure; the one that got furthest is what the client got wrong.
 */
export function describeZodIssue(issue: Issue): { param: string | null; message: string } {
  const { issue: deepest, path } = deepestIssue(issue)
  const param = path.length > 0 ? path.map(String).join('.') : null
  return { param, message: deepest.message }
}
