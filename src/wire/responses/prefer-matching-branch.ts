import type { z } from 'zod'

type Issue = z.core.$ZodIssue

function isTypeMismatch(branch: Issue[]): boolean {
  const first = branch[0]
  return first !== undefined && first.path.length === 1 && first.path[0] === 'type'
}

/**
 * Drops the union branches that failed on `type` itself (a function_call item is not a message), so the
 * client hears about the branch its `type` chose: `input.0.call_id` is missing, not "input.0.type is
 * wrong". Items and tools are unions rather than discriminated unions because messages may omit `type`.
 */
export function preferMatchingBranch(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue
  const matching = issue.errors.filter((branch) => !isTypeMismatch(branch))
  const kept = matching.length > 0 ? matching : issue.errors
  return { ...issue, errors: kept.map((branch) => branch.map(preferMatchingBranch)) } as Issue
}
