/**
 * OpenAI tool-call arguments (a JSON string) → Anthropic tool_use `input` (must be an object).
 * Empty arguments mean a tool without parameters. Arguments that are not a JSON object (a model cut off
 * by max_tokens, a provider that emitted broken JSON) are kept as `{ _raw: "<arguments>" }` rather than
 * replaced by `{}`: the next model turn then sees what was really sent, which explains the tool error
 * that usually follows, and no information is lost. Anthropic does not check past inputs against schemas.
 */
export function parseToolArguments(argumentsJson: string): Record<string, unknown> {
  if (argumentsJson.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(argumentsJson)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>
    }
  } catch {
    // falls through to the raw form
  }
  return { _raw: argumentsJson }
}
