import type { ChatRequest, FunctionTool, JsonObject, ToolChoice } from '../openai/types.js'
import type { ResponsesRequest } from './types.js'

type ToolFields = Pick<ChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>

type ResponsesFunctionTool = Extract<NonNullable<ResponsesRequest['tools']>[number], { type: 'function' }>

function isFunctionTool(tool: NonNullable<ResponsesRequest['tools']>[number]): tool is ResponsesFunctionTool {
  return tool.type === 'function'
}

function toFunctionTool(tool: ResponsesFunctionTool): FunctionTool {
  const fn: FunctionTool['function'] = { name: tool.name }
  if (typeof tool.description === 'string') fn.description = tool.description
  if (tool.parameters !== undefined && tool.parameters !== null) fn.parameters = tool.parameters as JsonObject
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict
  return { type: 'function', function: fn }
}

/** The names allowed_tools lets the model call, or null when every tool is allowed. */
function allowedNames(choice: ResponsesRequest['tool_choice']): Set<string> | null {
  if (typeof choice !== 'object' || choice === null || choice.type !== 'allowed_tools') return null
  const tools = (choice as { tools: { type: string; name?: string | undefined }[] }).tools
  return new Set(tools.flatMap((tool) => (tool.type === 'function' && tool.name ? [tool.name] : [])))
}

function toToolChoice(choice: ResponsesRequest['tool_choice']): ToolChoice | undefined {
  if (choice === undefined || choice === null) return undefined
  if (typeof choice === 'string') return choice
  if (choice.type === 'function')
    return { type: 'function', function: { name: (choice as { name: string }).name } }
  if (choice.type === 'allowed_tools') return (choice as { mode: 'auto' | 'required' }).mode
  return undefined // hosted tool types were refused by parseResponsesRequest
}

/**
 * Responses tools → Chat Completions tool fields. Function tools are flat in Responses
 * ({type, name, parameters}) and nested in Chat ({type, function: {name, parameters}}). Hosted tools
 * (web_search, file_search, code_interpreter, mcp, custom, local_shell…) are dropped: they run on OpenAI's
 * servers or need OpenAI-only output items, no routed provider can run them, and the Codex CLI sends
 * web_search next to its function tools, so refusing them would lock Codex out. allowed_tools becomes its
 * mode with the tool list narrowed to the allowed functions.
 */
export function fromResponsesTools(req: ResponsesRequest): ToolFields {
  const allowed = allowedNames(req.tool_choice)
  const tools = (req.tools ?? [])
    .filter(isFunctionTool)
    .filter((tool) => allowed === null || allowed.has(tool.name))
    .map(toFunctionTool)
  if (tools.length === 0) return {}
  const fields: ToolFields = { tools }
  const choice = toToolChoice(req.tool_choice)
  if (choice !== undefined) fields.tool_choice = choice
  // Chat Completions providers reject parallel_tool_calls without tools, so it only travels with them.
  if (typeof req.parallel_tool_calls === 'boolean') fields.parallel_tool_calls = req.parallel_tool_calls
  return fields
}
