import type { ChatRequest } from '../openai/types.js'
import type { AnthropicTool, AnthropicToolChoice } from './types.js'

/**
 * OpenAI tools and tool_choice → Anthropic's (wire-formats.md §2.5). Anthropic rejects a tool_choice
 * without tools, so none is sent then; `none` cannot carry disable_parallel_tool_use.
 */
export function toAnthropicTools(
  request: Pick<ChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>,
): { tools?: AnthropicTool[]; tool_choice?: AnthropicToolChoice } {
  const functionTools = (request.tools ?? []).filter((tool) => tool.type === 'function')
  if (functionTools.length === 0) return {}
  const tools = functionTools.map((tool): AnthropicTool => {
    const parameters = tool.function.parameters ?? {}
    // Anthropic requires input_schema.type "object"; OpenAI allows omitting parameters altogether.
    const inputSchema = { type: 'object', properties: {}, ...parameters }
    return {
      name: tool.function.name,
      ...(tool.function.description === undefined ? {} : { description: tool.function.description }),
      input_schema: inputSchema,
      ...(tool.cache_control === undefined ? {} : { cache_control: tool.cache_control }),
    }
  })
  const disableParallel = request.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {}
  const choice = request.tool_choice
  let toolChoice: AnthropicToolChoice | undefined
  if (choice === 'none') toolChoice = { type: 'none' }
  else if (choice === 'required') toolChoice = { type: 'any', ...disableParallel }
  else if (typeof choice === 'object')
    toolChoice = { type: 'tool', name: choice.function.name, ...disableParallel }
  else if (choice === 'auto' || request.parallel_tool_calls === false)
    toolChoice = { type: 'auto', ...disableParallel }
  return toolChoice === undefined ? { tools } : { tools, tool_choice: toolChoice }
}
