import { type SchemaProblem, schemaProblems } from '../support/openapi.js'

// What OpenAI answers to a chat request its published schema rejects: a 400 naming the parameter, in
// its own words ("Missing required parameter: 'messages[1].tool_call_id'."). The fake applies the same
// schema (CreateChatCompletionRequest from the vendored spec), so SmartSplit cannot send what a real
// OpenAI-compatible API would refuse.

export interface OpenAIRejection {
  status: 400
  message: string
  param: string | null
  code: string
}

/** `/messages/1/tool_call_id` → `messages[1].tool_call_id`, as OpenAI names parameters. */
function paramName(pointer: string, missing: string | null): string | null {
  const parts = pointer.split('/').filter((part) => part !== '')
  if (missing !== null) parts.push(missing)
  if (parts.length === 0) return null
  return parts.reduce(
    (name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name === '' ? part : `${name}.${part}`),
    '',
  )
}

/**
 * The schema's `oneOf` over message roles reports every branch; the problem worth naming is the one
 * deepest in the request (the branch the message was meant for), missing fields first.
 */
function mostSpecific(problems: readonly SchemaProblem[]): SchemaProblem {
  const depth = (problem: SchemaProblem) =>
    problem.path.split('/').length + (problem.missing === null ? 0 : 1)
  return [...problems].sort(
    (a, b) => depth(b) - depth(a) || Number(b.missing !== null) - Number(a.missing !== null),
  )[0]!
}

export function validateOpenAIChatRequest(body: unknown): OpenAIRejection | null {
  const problems = schemaProblems('CreateChatCompletionRequest', body)
  if (problems === null) return null
  const problem = mostSpecific(problems)
  const param = paramName(problem.path, problem.missing)
  if (problem.missing !== null)
    return {
      status: 400,
      message: `Missing required parameter: '${param}'.`,
      param,
      code: 'missing_required_parameter',
    }
  return {
    status: 400,
    message: `Invalid value for '${param ?? 'body'}': ${problem.message}.`,
    param,
    code: 'invalid_value',
  }
}
