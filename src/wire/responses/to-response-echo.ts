import type { ResponseEcho, ResponseFunctionTool, ResponsesRequest } from './types.js'

function toTools(req: ResponsesRequest): ResponseFunctionTool[] {
  return (req.tools ?? []).flatMap((tool): ResponseFunctionTool[] => {
    if (tool.type !== 'function') return []
    const fn = tool as Extract<typeof tool, { type: 'function' }>
    const echoed: ResponseFunctionTool = {
      type: 'function',
      name: fn.name,
      parameters: fn.parameters ?? null,
      strict: fn.strict ?? null,
    }
    if (typeof fn.description === 'string') echoed.description = fn.description
    return [echoed]
  })
}

/**
 * The request settings a Response repeats back (instructions, tools, sampling, text format…), as OpenAI
 * does. Only the function tools SmartSplit passed on are listed; store is false because nothing is stored.
 */
export function toResponseEcho(req: ResponsesRequest): ResponseEcho {
  const echo: ResponseEcho = {
    instructions: req.instructions ?? null,
    max_output_tokens: req.max_output_tokens ?? null,
    metadata: req.metadata ?? {},
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: null,
    store: false,
    temperature: req.temperature ?? null,
    text: { format: req.text?.format ?? { type: 'text' } },
    tool_choice: req.tool_choice ?? 'auto',
    tools: toTools(req),
    top_p: req.top_p ?? null,
    truncation: 'disabled',
  }
  if (req.user !== undefined) echo.user = req.user
  return echo
}
