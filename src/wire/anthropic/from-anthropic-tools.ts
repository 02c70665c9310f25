import type { ChatRequest, FunctionTool } from '../openai/types.js'
import type { AnthropicMessagesRequest } from './types.js'

/**
 * Anthropic tools and tool_choice → OpenAI's. Server tools (web_search_20250305, bash_20250124…) run
 * inside Anthropic's API and have no OpenAI form, so they are dropped; a client-defined tool has no
 * `type` or `type: "custom"`.
 */
export function fromAnthropicTools(
  request: Pick<AnthropicMessagesRequest, 'tools' | 'tool_choice'>,
): Pick<ChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'> {
  const tools = (request.tools ?? [])
    .filter((tool) => tool.type === undefined || tool.type === 'custom')
    .map(
      (tool): FunctionTool => ({
        type: 'function',
        function: {
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          parameters: tool.input_schema ?? { type: 'object', properties: {} },
        },
        ...(tool.cache_control == null ? {} : { cache_control: tool.cache_control }),
      }),
    )
  if (tools.length === 0) return {}
  const choice = request.tool_choice
  const result: Pick<ChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'> = { tools }
  if (choice === undefined) return result
  switch (choice.type) {
    case 'auto':
      result.tool_choice = 'auto'
      break
    case 'any':
      result.tool_choice = 'required'
      break
    case 'tool':
      result.tool_choice = { type: 'function', function: { name: choice.name } }
      break
    case 'none':
      result.tool_choice = 'none'
      break
  }
  if (choice.type !== 'none' && choice.disable_parallel_tool_use === true) result.parallel_tool_calls = false
  return result
}
